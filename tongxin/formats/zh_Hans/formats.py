"""Input formats for zh-hans: ISO first, because the first format is the one form widgets render
their value in, and a browser's <input type="date"> only understands YYYY-MM-DD (Django's
zh_Hans locale puts 2023/12/31 first, which left date inputs empty). The other formats are still
accepted when typed. Display formats (2023年12月31日) come from Django's locale unchanged."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05': what <input type="date"> sends and shows
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # '2016-09-05T20:45': what <input type="datetime-local"> sends and shows
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
]

# Month and day without a leading zero (9月5日), as the pages always wrote it; templates use
# date:"MONTH_DAY_FORMAT" so that the English interface shows "September 5".
MONTH_DAY_FORMAT = "n月j日"
