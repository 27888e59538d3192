"""Statement extraction speed: time grows with the length of the article, linearly.

    .venv/bin/python bench/bench_statements.py [--megabytes 1]

Builds articles of 1/8, 1/4, 1/2 and 1 times the given size (English and Chinese) from
synthetic paragraphs of narrative and attributed quotes, plus one paragraph holding
hundreds of quote marks, and prints wall and CPU time (``time.process_time``) for
decoding the bytes (GB18030 for the Chinese one), extracting the statements and proposing
published figures. Nothing touches the database. A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.statements import extract  # noqa: E402
from registry.statements.figures import propose_figures  # noqa: E402
from registry.statements.reading import decode_article  # noqa: E402

EN_PARAGRAPHS = [
    "“We will open {n} livestream rooms this year,” said Zhang Wei{n}, deputy head of the news center at Sinopec.",
    "Zhang said the group had trained about {n} editors, and that its flagship WeChat account “Sinopec News” "
    "now carried original reporting every day.",
    "“Short video has become the first window for young people,” he said. “If we do not tell our story, "
    "others will tell it for us.”",
    "By the end of 2023, more than {n} of the 98 central SOEs had opened accounts on Douyin, according to SASAC.",
    "The state-owned firm said it would “publish a quarterly ranking of its accounts” based on engagement.",
    "Analysts described the shift as “from opening accounts to running them”, calling it “a turning point”.",
]
ZH_PARAGRAPHS = [
    "在发布会上，中国石化新闻发言人吕大鹏{n}表示：“我们将继续推进新媒体建设，讲好央企故事。”",
    "“今年我们在抖音和快手上开展了{n}场直播。”他说，“观众最关心的是很具体的问题。”",
    "截至2023年底，超过{n}家中国企业500强已开通微信公众号，逾两百家开通了微博账号。",
    "该公司在声明中表示：“我们高度重视用户反馈，将尽快完善相关服务。”央企纷纷布局“两微一抖”。",
    "据国家电网宣传部副主任张伟介绍，“我们的一线员工就是最好的主播。”",
]


def article(paragraphs: list[str], size: int, marks_paragraph: str) -> str:
    rng = random.Random(12)
    parts, length = [marks_paragraph], len(marks_paragraph)
    while length < size:
        text = rng.choice(paragraphs).format(n=rng.randint(10, 999))
        parts.append(text)
        length += len(text) + 2
    return "\n\n".join(parts)


def many_marks(language: str, quotes: int = 400) -> str:
    """One paragraph with hundreds of quote marks (terms and short quotes, unbalanced at the end)."""
    if language == "zh":
        return "".join(f"他说“第{i}条意见”，" for i in range(quotes)) + "“没有结束"
    return " ".join(f'He called it "item {i} of the list", and' for i in range(quotes)) + ' "unclosed'


def measure(label: str, raw: bytes, language: str) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    decoded = decode_article(raw)
    decode_wall, decode_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    found = extract(decoded.text, language=language)
    extract_wall, extract_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    figures = propose_figures(decoded.text, language=language)
    figure_wall, figure_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:<22}{len(raw) / 1_000_000:>7.2f} MB {len(decoded.text):>9,} chars  "
        f"decode {decode_wall:6.2f}s ({decode_cpu:5.2f} CPU)  extract {extract_wall:6.2f}s ({extract_cpu:5.2f} CPU)  "
        f"figures {figure_wall:5.2f}s ({figure_cpu:5.2f} CPU)  {len(found):>6,} statements {len(figures):>5,} figures  "
        f"[{decoded.label}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0, help="Size of the largest article (default 1 MB).")
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    print(f"Statement extraction, articles up to {args.megabytes:g} MB (wall time, CPU time in brackets)")
    for fraction in (0.125, 0.25, 0.5, 1.0):
        english = article(EN_PARAGRAPHS, int(size * fraction), many_marks("en"))
        measure(f"English x{fraction:g}", english.encode("utf-8"), "en")
    for fraction in (0.125, 0.25, 0.5, 1.0):
        # a Chinese character is 2 bytes in GB18030: half as many characters make the same size
        chinese = article(ZH_PARAGRAPHS, int(size * fraction / 2), many_marks("zh"))
        measure(f"Chinese GB18030 x{fraction:g}", chinese.encode("gb18030"), "zh")


if __name__ == "__main__":
    main()
