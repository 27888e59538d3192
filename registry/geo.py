"""China's 34 provincial-level divisions, as stored in ``Organisation.province``
(in English), and their names in the interface's language."""

from django.utils.translation import pgettext_lazy

PROVINCES = (
    "Beijing",
    "Tianjin",
    "Hebei",
    "Shanxi",
    "Inner Mongolia",
    "Liaoning",
    "Jilin",
    "Heilongjiang",
    "Shanghai",
    "Jiangsu",
    "Zhejiang",
    "Anhui",
    "Fujian",
    "Jiangxi",
    "Shandong",
    "Henan",
    "Hubei",
    "Hunan",
    "Guangdong",
    "Guangxi",
    "Hainan",
    "Chongqing",
    "Sichuan",
    "Guizhou",
    "Yunnan",
    "Tibet",
    "Shaanxi",
    "Gansu",
    "Qinghai",
    "Ningxia",
    "Xinjiang",
    "Hong Kong",
    "Macao",
    "Taiwan",
)

# The stored English name -> its label, translated (context "province").
PROVINCE_LABELS = {
    "Beijing": pgettext_lazy("province", "Beijing"),
    "Tianjin": pgettext_lazy("province", "Tianjin"),
    "Hebei": pgettext_lazy("province", "Hebei"),
    "Shanxi": pgettext_lazy("province", "Shanxi"),
    "Inner Mongolia": pgettext_lazy("province", "Inner Mongolia"),
    "Liaoning": pgettext_lazy("province", "Liaoning"),
    "Jilin": pgettext_lazy("province", "Jilin"),
    "Heilongjiang": pgettext_lazy("province", "Heilongjiang"),
    "Shanghai": pgettext_lazy("province", "Shanghai"),
    "Jiangsu": pgettext_lazy("province", "Jiangsu"),
    "Zhejiang": pgettext_lazy("province", "Zhejiang"),
    "Anhui": pgettext_lazy("province", "Anhui"),
    "Fujian": pgettext_lazy("province", "Fujian"),
    "Jiangxi": pgettext_lazy("province", "Jiangxi"),
    "Shandong": pgettext_lazy("province", "Shandong"),
    "Henan": pgettext_lazy("province", "Henan"),
    "Hubei": pgettext_lazy("province", "Hubei"),
    "Hunan": pgettext_lazy("province", "Hunan"),
    "Guangdong": pgettext_lazy("province", "Guangdong"),
    "Guangxi": pgettext_lazy("province", "Guangxi"),
    "Hainan": pgettext_lazy("province", "Hainan"),
    "Chongqing": pgettext_lazy("province", "Chongqing"),
    "Sichuan": pgettext_lazy("province", "Sichuan"),
    "Guizhou": pgettext_lazy("province", "Guizhou"),
    "Yunnan": pgettext_lazy("province", "Yunnan"),
    "Tibet": pgettext_lazy("province", "Tibet"),
    "Shaanxi": pgettext_lazy("province", "Shaanxi"),
    "Gansu": pgettext_lazy("province", "Gansu"),
    "Qinghai": pgettext_lazy("province", "Qinghai"),
    "Ningxia": pgettext_lazy("province", "Ningxia"),
    "Xinjiang": pgettext_lazy("province", "Xinjiang"),
    "Hong Kong": pgettext_lazy("province", "Hong Kong"),
    "Macao": pgettext_lazy("province", "Macao"),
    "Taiwan": pgettext_lazy("province", "Taiwan"),
}


def province_label(name: str) -> str:
    """A stored province in the active language (an unknown value as stored)."""
    label = PROVINCE_LABELS.get(name)
    return str(label) if label is not None else name
