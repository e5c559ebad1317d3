"""Titles of the second test world (see scripts/build_second_world.py): fixed lists, no randomness.

Names are invented. They carry what real catalogs carry: straight (') and typographic (’)
apostrophes, featured credits, and titles in Cyrillic, Japanese and Greek script.
"""

from __future__ import annotations

KESTREL = [
    "Paper Satellites", "Neon Harbour", "Don't Look Back Now", "Tidal Lines", "Afterglow Radio",
    "Glass Motorway", "Static Bloom", "Quiet Engines", "Cold Open", "Rooftop Weather",
    "Signal Fires", "Lanterns", "Night Bus Cartography", "Sodium Lights", "Platform Nine",
    "Ferry Timetable", "Overpass", "The Long Way 'Round", "Small Hours", "Undertow",
    "Circuit Garden", "Northbound", "Parallax", "Harbour Lights", "Blue Shift",
    "Don't Wake the City", "Concrete Rain", "Satellite Hearts", "Windows Down", "Echo Chamber",
    "Slow Burn", "Streetlight Choir", "Empty Arcades", "Lost & Found", "Signals ’Til Dawn",
    "Morning Ferry", "Copper Sky", "Vapour Trails", "Weightless", "Tunnel Vision",
    "Rock ’n’ Roll Is Dead (Long Live)", "Drift", "Low Tide", "Saltwater", "Breakwater",
    "Shoreline", "Riptide", "Glasshouse", "Greenhouse Effect", "Prism", "Refraction", "Sunroom",
    "Last Light Over Harbour Street", "Kestrel's Flight", "Tomorrow's Radio", "Open Water",
    "Runway Lights", "Gravity Well", "Second Wind", "Holding Pattern", "Dead Reckoning",
    "Lighthouse Keeper's Song", "Magnetic North", "Polar Night", "Shortwave", "Frequency",
    "Night Market", "Crosswalk", "Carousel", "Wavelength", "Skyline (Reprise)", "Ghost Notes",
    "Harbourmaster", "Pilot Light", "Sleepwalker's Waltz", "Aerials", "Soft Focus", "Tail Lights",
    "Afterimage", "Headlights on the Pier", "Arrivals",
]  # fmt: skip
MIRA = [
    "Северный ветер", "Белые ночи", "Тишина", "Город огней", "Письма", "Зимний сад",
    "Последний трамвай", "Осенний вальс", "Небо над Невой", "Колыбельная", "Дорога домой",
    "Метель", "Рассвет", "Туман", "Сны о море", "Фонари", "Старый двор", "Полночь",
    "Снегопад", "Река", "Звёзды", "Апрель", "Мосты", "Тёплый дождь", "Перрон", "Окна",
    "Шёпот", "Маяк", "Лёд", "Весна", "Берег", "Голоса", "Письмо без ответа", "Утро",
    "Сквозь стекло", "Долгая дорога", "Ночной поезд", "Кофе и сигареты", "Янтарь", "Песок",
    "Ласточка", "Ветер перемен", "Светлячки", "Тень", "Пристань", "Облака", "Соль",
    "Огонь", "Вода", "Камень", "Лето в городе", "Сирень", "Ноябрь", "Декабрь", "Январь",
    "Февраль", "Март", "Май", "Июнь", "Эхо", "Мир", "Тишина (акустика)", "Маяки", "Луна",
]  # fmt: skip
YAKO = [
    "青い時間", "終電", "夏の終わり", "東京ノイズ", "夜明け前", "雨の駅", "星屑", "帰り道",
    "君の街", "さよならの向こう", "風の音", "月光", "遠い花火", "踏切", "白い息", "灯台",
    "ネオンの海", "最終列車", "真夜中のラジオ", "冬の蝉", "桜の雨", "陽炎", "空色", "波の音",
    "線路沿い", "透明な朝", "迷子", "砂時計", "蛍", "夕焼け", "ひとりごと", "鉄塔", "午前二時",
    "海辺の町", "置き手紙", "流れ星", "青春", "トンネル", "残響", "逆光", "紙飛行機", "雪解け",
    "水平線", "夜行性", "鼓動", "ガードレール", "深呼吸", "交差点", "花束", "未来地図",
    "ローカル線", "春雷", "曇り空", "光の粒", "真昼の月", "長い夜", "スピカ", "銀河鉄道",
    "始発", "夜風", "あの日の約束", "ホームの端で",
]  # fmt: skip
TOMAS = [
    "The Ferryman's Daughter", "Salt on the Wind", "O'Connell Bridge", "Kitchen Sessions",
    "Whiskey & Rain", "Gone to Galway", "The Old Road", "Tin Whistle Morning", "Céilí at Dawn",
    "Fisherman’s Blues Again", "Harbour Wall", "Curlew", "Turf Smoke", "Bog Cotton",
    "Long Acre", "The Last Ferry", "Wren Day", "Lough Shore", "Stone Walls", "Cliffs",
    "Hazel", "Rowan Tree", "Greenwood Side", "Winter Field",
    "Ιθάκη", "Θάλασσα", "Μελτέμι", "Καλοκαίρι", "Φεγγάρι", "Αστέρια", "Ταξίδι", "Λιμάνι",
    "Νοσταλγία", "Αύρα",
]  # fmt: skip
