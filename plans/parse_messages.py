"""The plan parser's fixed messages (plans.parsing is a pure-Python library and raises them in
Chinese). Listed here only so that the English catalogue has them: the import pages show
`record.error` and the review page's edit errors through gettext."""

from django.utils.translation import gettext_noop

PARSER_MESSAGES = [
    gettext_noop("Word 文档解压后过大或压缩比异常（疑似压缩炸弹），已拒绝导入"),
    gettext_noop("Word 文档含有 DTD/实体声明（可能是恶意文件），已拒绝导入"),
    gettext_noop("Word 文档结构嵌套过深或 XML 格式错误，已拒绝导入"),
    gettext_noop("Word 文档已损坏或不是 .docx 格式；请在 Word 中重新“另存为” .docx 后再导入"),
    gettext_noop("这是 Excel 文件；请导入工作要点的 .docx、.pdf 或 .txt 文件"),
    gettext_noop("这是 PowerPoint 文件；请导入工作要点的 .docx、.pdf 或 .txt 文件"),
    gettext_noop("Word 文档中没有文字；如果内容是图片，请先进行 OCR 文字识别"),
    gettext_noop("找不到要修改的条目，请刷新页面后重试"),
    gettext_noop("部分不能合并，请合并其中的任务"),
    gettext_noop("这是本级第一项，前面没有可以合并的任务"),
    gettext_noop("只能拆分任务，不能拆分部分"),
    gettext_noop("在这项任务的正文中找不到要拆分的文字"),
    gettext_noop("只能移动任务；部分的顺序以原文为准"),
    gettext_noop("请选择要移入的部分"),
    gettext_noop("该 PDF 没有文字层（可能是扫描件）；请先用 OCR 识别文字，或导入 .docx/.txt 文件"),
    gettext_noop("PDF 文件已加密或已损坏，无法读取；请导出为未加密的 PDF 或另存为 .docx 后再导入"),
    gettext_noop("PDF 的字体无法转换为文字；请用原文档另存为 .docx，或对 PDF 进行 OCR 后再导入"),
    gettext_noop("PDF 页数过多，无法导入"),
    gettext_noop("文件内容为空，没有可解析的工作要点"),
    gettext_noop("文件超过 20 MB，无法导入；请删除图片等内容后再试"),
    gettext_noop("这是旧版 Word（.doc）文件，无法直接解析；请在 Word 或 WPS 中“另存为” .docx 格式后再导入"),
    gettext_noop("这是 RTF 文件，无法直接解析；请在 Word 或 WPS 中“另存为” .docx 格式后再导入"),
    gettext_noop("这是图片文件，没有文字；请先用 OCR 识别文字，或导入 .docx、.pdf、.txt 文件"),
    gettext_noop("无法识别的文件格式；请导入 .docx、带文字层的 .pdf 或 .txt 文本"),
    gettext_noop("无法识别文本编码；请将文件另存为 UTF-8 编码的文本后再导入"),
    gettext_noop("文件扩展名是 .pdf，但内容不是 PDF；请检查文件是否损坏"),
    gettext_noop("文件扩展名是 .docx，但内容不是 Word 文档；请检查文件是否损坏"),
]
