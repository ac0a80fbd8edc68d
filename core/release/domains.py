"""The public bucket domains of the release: fixed lists, so a bucket's name says nothing.

A value outside a dimension's list is counted as `other`, a missing one as `unknown`;
every bucket of the list is released (noisy) whether or not anyone is in it.
"""

from wholiked.core.store.format import AGE_BANDS, DEVICES

UNKNOWN = "unknown"
OTHER = "other"

# The 30 largest markets of short-video apps (ISO 3166-1 alpha-2) and the 24 most
# used languages (ISO 639-1): fixed here, never read from a database.
REGIONS = tuple(
    sorted(
        "AR AU BR CA CO DE EG ES FR GB ID IN IT JP KE KR MA MX NG NL PH PL PT SA SE TH TR"
        " UA US VN".split()
    )
)
LANGUAGES = tuple(
    sorted("ar bn de en es fr hi id it ja ko ms nl pl pt ru sv sw th tl tr uk vi zh".split())
)
HOURS = tuple(f"{h:02d}" for h in range(24))

DOMAINS: dict[str, tuple[str, ...]] = {
    "age_band": (*AGE_BANDS, UNKNOWN),
    "region": (*REGIONS, OTHER, UNKNOWN),
    "language": (*LANGUAGES, OTHER, UNKNOWN),
    "device": (*DEVICES, OTHER, UNKNOWN),
    "hour": HOURS,
}
DIMENSIONS = tuple(DOMAINS)
TITLES = {
    "age_band": "Age band",
    "region": "Region",
    "language": "Language",
    "device": "Device",
    "hour": "Hour (UTC)",
}
"""Each dimension's name in words, for headings."""


def bucket_of(dimension: str, value: str | None) -> str:
    """The public bucket a raw attribute value is counted in."""
    if value is None or value == "":
        return UNKNOWN
    return value if value in DOMAINS[dimension] else OTHER
