from pypinyin import lazy_pinyin


def pinyin_of(name: str) -> str:
    """'张小明' -> 'zhangxiaoming', stored beside names so clerks can search by pinyin."""
    return "".join(lazy_pinyin(name)).lower()


def mask_name(name: str) -> str:
    """'张小明' -> '张*明', '张明' -> '张*': enough to recognise, not enough to identify."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
