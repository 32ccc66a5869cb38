"""Standard codes of the registry: sex, ethnicity (GB 3304), relationship to head (GB/T 4761).

Ethnicity and relationship labels are the official Chinese names: they are data printed on
certificates, not interface text, so they are not translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


ETHNICITIES = [
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
]


class Relationship(models.TextChoices):
    """与户主关系, a practical subset of GB/T 4761-2008 family relationship codes."""

    HEAD = "02", "户主"
    HUSBAND = "11", "夫"
    WIFE = "12", "妻"
    SON = "20", "子"
    DAUGHTER = "30", "女"
    GRANDCHILD = "40", "孙子女"
    FATHER = "51", "父亲"
    MOTHER = "52", "母亲"
    GRANDPARENT = "60", "祖父母"
    SIBLING = "70", "兄弟姐妹"
    OTHER_RELATIVE = "80", "其他亲属"
    NON_RELATIVE = "99", "非亲属"


CHILD_RELATIONSHIPS = frozenset({Relationship.SON, Relationship.DAUGHTER, Relationship.GRANDCHILD})


def relationship_label(code: str) -> str:
    """The printed name of a relationship code; a code outside the table (stored before the
    guardianship service checked codes) prints as 其他亲属 plus the raw code, never an error."""
    if code in Relationship.values:
        return Relationship(code).label
    return f"{Relationship.OTHER_RELATIVE.label}（{code}）"
