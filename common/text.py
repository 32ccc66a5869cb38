from pypinyin import lazy_pinyin


def pinyin_of(name: str) -> str:
    """'张小明' -> 'zhangxiaoming', stored beside names so clerks can search by pinyin."""
    return "".join(lazy_pinyin(name)).lower()
