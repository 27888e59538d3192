"""Sends reads to a replica when ``DATABASE_REPLICA_URL`` is set; writes and
migrations always go to the primary."""


class PrimaryReplicaRouter:
    replica = "replica"
    primary = "default"

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return self.replica

    def db_for_write(self, model, **hints):
        return self.primary

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == self.primary
