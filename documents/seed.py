"""The starting checklists, questions and audit points (loaded by a data migration; admins edit
them afterwards in the Django admin, and a new version replaces them from its effective date).

Sources: ../shared/seeds (first enrolment's 12 materials, off-plan property needing the purchase
invoice and 3 months of water/electricity bills, single parents needing a court judgment on
custody, migrants' home-town certificates, 12 non-core 容缺 items) and the public 办事指南 of
hukou windows for the eight business types.
"""

import datetime as dt

EFFECTIVE_FROM = dt.date(2025, 1, 1)
LEGAL_BASIS = (
    "《中华人民共和国户口登记条例》；《公安部户籍管理条例实施细则》；《优化营商环境条例》一次性告知、容缺受理规定"
)

# code, description, check kind (28 audit points, 审核要点)
AUDIT_POINTS = [
    ("A01", "照片清晰、完整、光线适中", "legible"),
    ("A02", "材料类型正确", "document_type"),
    ("A03", "儿童姓名与申请及户籍一致", "name_match"),
    ("A04", "公民身份号码校验正确且与户籍一致", "id_number"),
    ("A05", "出生日期与身份号码一致", "birth_date"),
    ("A06", "监护人姓名与申请一致", "name_match"),
    ("A07", "缴费单日期在最近3个月内", "date_valid"),
    ("A08", "证明材料在有效期内", "date_valid"),
    ("A09", "加盖出具单位红色公章", "seal"),
    ("A10", "法院判决书（调解书）载明监护权/抚养权归属，离婚协议不能替代", "custody"),
    ("A11", "居住地址在本派出所辖区内", "address"),
    ("A12", "出生医学证明编号完整、无涂改", "manual"),
    ("A13", "预防接种记录完整", "manual"),
    ("A14", "不动产权证书产权人为监护人", "manual"),
    ("A15", "购房合同已网签备案", "manual"),
    ("A16", "购房发票与合同一致", "manual"),
    ("A17", "户口簿首页与本人页齐全", "manual"),
    ("A18", "身份证正反面齐全", "manual"),
    ("A19", "居住证在有效期内", "date_valid"),
    ("A20", "原籍户籍证明需与原籍地核验（跨区通办）", "manual"),
    ("A21", "港澳台居民居住证/护照信息与申请一致", "manual"),
    ("A22", "收养登记证由民政部门出具", "seal"),
    ("A23", "集体户口证明由集体户单位盖章", "seal"),
    ("A24", "委托监护书双方签字", "manual"),
    ("A25", "社区居住证明由社区居委会盖章", "seal"),
    ("A26", "复印件清晰、盖章位置不遮挡内容", "legible"),
    ("A27", "转学联系函与转出学校一致", "manual"),
    ("A28", "结婚证/离婚证信息与申请一致", "manual"),
]

BASIC = ["A01", "A02"]

# question code, text, help (for the school scenarios)
SCHOOL_QUESTIONS = [
    ("first_enrolment", "孩子是首次入学登记吗？", "一年级新生选“是”"),
    ("transfer", "是转学引起的户籍信息变更吗？", ""),
    ("own_property", "住房是自有房产吗？", "租房选“否”"),
    ("property_delivered", "房屋已经交付、取得不动产权证书了吗？", "期房未交付选“否”"),
    ("other_province", "监护人户籍在外省（市）吗？", ""),
    ("single_parent", "是单亲家庭吗？", ""),
    ("left_behind", "孩子由他人委托监护（留守儿童）吗？", ""),
    ("hmt_foreign", "孩子是港澳台或外籍儿童吗？", ""),
    ("collective", "户口在集体户吗？", ""),
    ("adopted", "孩子是收养的吗？", ""),
]
PROPERTY_QUESTIONS = [
    ("own_property", "住房是自有房产吗？", "租房选“否”"),
    ("property_delivered", "房屋已经交付、取得不动产权证书了吗？", "期房未交付选“否”"),
]

# item: code, name, core, when, keywords, validity months, audit points, how to supply
S = "school_certificate"
ITEMS = {
    S: [
        (
            "birth_medical",
            "出生医学证明",
            True,
            ["first_enrolment"],
            ["出生医学证明"],
            None,
            [*BASIC, "A03", "A04", "A05", "A12"],
            "原件拍照，编号一面完整入镜",
        ),
        (
            "hukou_booklet",
            "户口簿（首页及儿童本人页）",
            True,
            [],
            ["户口簿", "常住人口登记卡", "户主"],
            None,
            [*BASIC, "A03", "A04", "A17"],
            "首页和儿童本人页各拍一张",
        ),
        (
            "guardian_id",
            "监护人居民身份证",
            True,
            [],
            ["居民身份证", "公民身份号码"],
            None,
            [*BASIC, "A06", "A18"],
            "正反面拍在同一张照片上",
        ),
        (
            "vaccination",
            "预防接种记录",
            False,
            ["first_enrolment"],
            ["预防接种", "疫苗"],
            None,
            [*BASIC, "A26", "A13"],
            "接种证记录页拍照；社区卫生服务中心可补打",
        ),
        (
            "community_residence",
            "社区居住证明",
            False,
            ["first_enrolment"],
            ["居住证明"],
            6,
            [*BASIC, "A03", "A09", "A25", "A11"],
            "到所在社区居委会开具，须盖章",
        ),
        (
            "marriage_cert",
            "父母结婚证",
            False,
            ["first_enrolment"],
            ["结婚证"],
            None,
            [*BASIC, "A28"],
            "结婚证内页拍照",
        ),
        ("child_photo", "儿童近期免冠照片", False, ["first_enrolment"], [], None, ["A01"], "白底，近6个月内"),
        (
            "property_cert",
            "不动产权证书（房产证）",
            True,
            ["own_property", "property_delivered"],
            ["不动产权", "房屋所有权"],
            None,
            [*BASIC, "A11", "A14"],
            "权利人页和房屋坐落页",
        ),
        (
            "purchase_contract",
            "购房合同",
            True,
            ["own_property", "!property_delivered"],
            ["购房合同", "商品房买卖合同"],
            None,
            [*BASIC, "A15"],
            "期房未交付时提供，含网签备案页",
        ),
        (
            "purchase_invoice",
            "购房发票",
            True,
            ["own_property", "!property_delivered"],
            ["发票"],
            None,
            [*BASIC, "A16"],
            "期房未交付时补充购房发票",
        ),
        (
            "utility_bills",
            "最近3个月水电缴费单",
            False,
            ["own_property", "!property_delivered"],
            ["缴费", "电费", "水费"],
            3,
            [*BASIC, "A07"],
            "最近3个月内的水费或电费缴费单",
        ),
        (
            "rental_record",
            "房屋租赁备案证明",
            True,
            ["!own_property"],
            ["租赁"],
            12,
            [*BASIC, "A09", "A11"],
            "到住建部门或社区办理租赁备案",
        ),
        (
            "residence_permit",
            "父母居住证",
            True,
            ["other_province"],
            ["居住证"],
            None,
            [*BASIC, "A19"],
            "在有效期内的居住证",
        ),
        (
            "hometown_hukou",
            "原籍户籍证明",
            True,
            ["other_province"],
            ["户籍证明"],
            3,
            [*BASIC, "A09", "A20"],
            "原籍派出所出具；周边5区县可跨区通办核验",
        ),
        (
            "employment_proof",
            "务工就业证明",
            False,
            ["other_province"],
            ["就业", "劳动合同"],
            6,
            [*BASIC, "A09"],
            "用人单位盖章的在职证明或劳动合同",
        ),
        ("transfer_letter", "转学联系函", True, ["transfer"], ["转学"], 3, [*BASIC, "A09", "A27"], "转入学校出具"),
        (
            "new_address_proof",
            "新住址证明",
            True,
            ["transfer"],
            ["住址", "居住"],
            6,
            [*BASIC, "A11"],
            "新房产证或租赁备案",
        ),
        (
            "court_judgment",
            "法院判决书（载明监护权归属）",
            True,
            ["single_parent"],
            ["判决书", "调解书"],
            None,
            [*BASIC, "A09", "A10"],
            "须载明子女监护/抚养权归属，离婚协议不能替代",
        ),
        (
            "entrusted_guardianship",
            "委托监护书",
            True,
            ["left_behind"],
            ["委托监护"],
            None,
            [*BASIC, "A24"],
            "父母与受托监护人双方签字",
        ),
        (
            "guardianship_confirmation",
            "监护关系证明",
            True,
            ["left_behind"],
            ["监护"],
            6,
            [*BASIC, "A09"],
            "村（居）委会出具并盖章",
        ),
        (
            "hmt_permit",
            "港澳台居民居住证或外国护照",
            True,
            ["hmt_foreign"],
            ["居住证", "护照", "PASSPORT"],
            None,
            [*BASIC, "A21", "A19"],
            "信息页拍照",
        ),
        ("entry_record", "出入境记录", False, ["hmt_foreign"], ["出入境"], 6, [*BASIC], "出入境管理部门出具"),
        (
            "collective_certificate",
            "集体户口证明",
            True,
            ["collective"],
            ["集体户"],
            3,
            [*BASIC, "A23"],
            "集体户所在单位出具并盖章",
        ),
        (
            "adoption_certificate",
            "收养登记证",
            True,
            ["adopted"],
            ["收养登记证"],
            None,
            [*BASIC, "A03", "A22"],
            "民政部门颁发",
        ),
    ],
    "birth": [
        ("birth_medical", "出生医学证明", True, [], ["出生医学证明"], None, [*BASIC, "A03", "A12"], "原件拍照"),
        ("parents_booklet", "父母户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], "首页和本人页"),
        ("parents_id", "父母居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A06", "A18"], "正反面"),
        ("marriage_cert", "父母结婚证", False, [], ["结婚证"], None, [*BASIC, "A28"], "非婚生育的可书面说明"),
    ],
    "death": [
        (
            "death_certificate",
            "居民死亡医学证明（推断）书",
            True,
            [],
            ["死亡"],
            None,
            [*BASIC, "A09"],
            "医疗机构或公安机关出具",
        ),
        ("hukou_booklet", "死者户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
        ("declarant_id", "申报人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
    ],
    "move_in": [
        ("migration_certificate", "户口迁移证", True, [], ["迁移证"], None, [*BASIC, "A09"], "迁出地公安机关签发"),
        ("hukou_booklet", "迁入户户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
        ("id_card", "本人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
        (
            "property_cert",
            "不动产权证书",
            True,
            ["own_property", "property_delivered"],
            ["不动产权"],
            None,
            [*BASIC, "A11", "A14"],
            "",
        ),
        (
            "purchase_contract",
            "购房合同",
            True,
            ["own_property", "!property_delivered"],
            ["购房合同"],
            None,
            [*BASIC, "A15"],
            "",
        ),
        (
            "purchase_invoice",
            "购房发票",
            True,
            ["own_property", "!property_delivered"],
            ["发票"],
            None,
            [*BASIC, "A16"],
            "",
        ),
        (
            "utility_bills",
            "最近3个月水电缴费单",
            False,
            ["own_property", "!property_delivered"],
            ["缴费"],
            3,
            [*BASIC, "A07"],
            "",
        ),
    ],
    "move_out": [
        ("hukou_booklet", "户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
        ("id_card", "本人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
        (
            "admission_permit",
            "迁入地准予迁入证明",
            True,
            [],
            ["准予迁入", "准迁证"],
            3,
            [*BASIC, "A08", "A09"],
            "跨省迁移的可网上办理",
        ),
    ],
    "correction": [
        ("hukou_booklet", "户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
        ("id_card", "本人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
        (
            "basis",
            "变更更正依据（出生医学证明、学籍档案等）",
            True,
            [],
            ["证明"],
            None,
            [*BASIC, "A09"],
            "能证明正确信息的原始材料",
        ),
        ("unit_letter", "单位或学校证明", False, [], ["证明"], 3, [*BASIC, "A09"], ""),
    ],
    "cancellation": [
        ("basis", "注销依据（出国定居、入伍通知等）", True, [], ["通知", "证明"], None, [*BASIC, "A09"], ""),
        ("hukou_booklet", "户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
    ],
    "restoration": [
        ("basis", "恢复依据（退伍证、回国定居证明等）", True, [], ["证"], None, [*BASIC, "A09"], ""),
        ("identity", "本人身份证明", True, [], ["身份"], None, [*BASIC], ""),
    ],
    "id_card": [
        ("hukou_booklet", "户口簿", True, [], ["户口簿"], None, [*BASIC, "A04", "A17"], ""),
        ("photo_receipt", "数码照片回执", False, [], ["回执"], 6, [*BASIC], "照相馆拍摄"),
    ],
    "archive": [
        ("id_card", "查档人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
        ("request", "查档申请书", False, [], ["申请"], None, [*BASIC], "写明查档事由"),
    ],
    "hukou_certificate": [
        ("id_card", "本人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
        ("hukou_booklet", "户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
    ],
    "register_extract": [
        ("id_card", "本人居民身份证", True, [], ["居民身份证"], None, [*BASIC, "A18"], ""),
        ("hukou_booklet", "户口簿", True, [], ["户口簿"], None, [*BASIC, "A17"], ""),
        ("purpose", "用途说明", False, [], [], None, ["A01"], "写明用途"),
    ],
}

TITLES = {S: "小学入学户籍业务（首次入学、转学、特殊群体）"}
QUESTIONS = {S: SCHOOL_QUESTIONS, "move_in": PROPERTY_QUESTIONS}
CONDITIONS = {
    S: "适龄儿童在户籍所在地就近入学；首次入学登记需12项材料，特殊情形按问答补充。",
}


def seed_load(apps) -> None:
    """Creates the audit points and version 1 of every checklist (idempotent by code)."""
    AuditPoint = apps.get_model("documents", "AuditPoint")
    Checklist = apps.get_model("documents", "Checklist")
    BusinessType = apps.get_model("hukou", "BusinessType")
    points = {}
    for code, description, check in AUDIT_POINTS:
        points[code], _ = AuditPoint.objects.get_or_create(
            code=code, defaults={"description": description, "check_kind": check}
        )
    for business_code, items in ITEMS.items():
        business = BusinessType.objects.filter(code=business_code).first()
        if business is None or Checklist.objects.filter(business_type=business).exists():
            continue
        checklist = Checklist.objects.create(
            business_type=business,
            version=1,
            title=TITLES.get(business_code, business.name),
            conditions=CONDITIONS.get(business_code, ""),
            where="本派出所户籍窗口（工作日 8:30–17:30）",
            legal_basis=LEGAL_BASIS,
            effective_from=EFFECTIVE_FROM,
        )
        for order, (code, text, help_text) in enumerate(QUESTIONS.get(business_code, [])):
            checklist.questions.create(code=code, text=text, help_text=help_text, order=order)
        for order, (code, name, core, when, keywords, months, audit, how) in enumerate(items):
            item = checklist.items.create(
                code=code,
                name=name,
                is_core=core,
                when=when,
                keywords=keywords,
                validity_months=months,
                how_to=how,
                description=name,
                order=order,
            )
            item.audit_points.set([points[c] for c in audit])
