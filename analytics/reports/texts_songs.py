"""The artist report's words for where streams come from, the first week after a release and
the page of each song, in EN, FR, DE.

Merged into :data:`analytics.reports.texts.TEXTS`, like :mod:`analytics.reports.texts_words`.
"""

from __future__ import annotations

from collections.abc import Mapping

SONGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "toc.sources": "Where from",
        "toc.release_days": "Release week",
        "toc.songs": "Songs",
        "heading.sources": "Where your streams come from",
        "heading.release_days": "The first week after a release",
        "heading.songs": "Your songs, one by one",
        "way.chosen": "chosen by the listener",
        "way.after": "played on after another song",
        "way.skipped_to": "skipped to from another song",
        "way.unknown": "other or unknown",
        "figure.play_starts": "How plays started",
        "sources.plays.one": (
            "{streams} stream reached encore play by play in this period (the plays it receives, "
            "not every stream Spotify counts); this is how it started."
        ),
        "sources.plays.other": (
            "{streams} streams reached encore play by play in this period (the plays it receives, "
            "not every stream Spotify counts); this is how they started."
        ),
        "sources.shuffle": "With shuffle on: {share}.",
        "sources.playlists.one": (
            "Playlists featuring you brought {playlist_streams} stream in Spotify for Artists' "
            "export of {day}, by who made them:"
        ),
        "sources.playlists.other": (
            "Playlists featuring you brought {playlist_streams} streams in Spotify for Artists' "
            "export of {day}, by who made them:"
        ),
        "sources.editorial": "Spotify's own playlists",
        "sources.others": "playlists by listeners and curators",
        "column.made_by_whom": "made by",
        "column.playlists": "playlists",
        "missing.sources_none": (
            "How plays start comes from the plays encore receives one by one (streaming history or "
            "real-time plays); none reached it for this artist in this period."
        ),
        "release.none": (
            "No release of yours falls within the days this report has numbers for "
            "({first} – {last}): the latest is from {latest}, so there is no first week to show."
        ),
        "release.none_known": "No release date is known for your catalog, so there is no first week to show.",
        "release.intro": (
            "{name}, released {day}: each of its first seven days against your usual day before it "
            "({usual} streams, the middle value of up to 28 days before the release)."
        ),
        "release.no_usual": (
            "{name}, released {day}: fewer than seven days of numbers before it, so there is no "
            "usual day to compare with."
        ),
        "release.day_number": "day {number} · {day}",
        "release.column.number": "day",
        "release.column.streams": "streams",
        "release.column.change": "against usual",
        "songs.summary.one": "{songs} song was streamed in this period; it has its page below.",
        "songs.summary.other": (
            "{songs} songs were streamed in this period; each has its page below, most streamed first."
        ),
        "songs.numbers.one": "{streams} stream in this period; listeners a day on average: {listeners}.",
        "songs.numbers.other": "{streams} streams in this period; listeners a day on average: {listeners}.",
        "songs.numbers_only.one": "{streams} stream in this period.",
        "songs.numbers_only.other": "{streams} streams in this period.",
        "songs.part.sources": "Where its streams come from",
        "songs.part.playlists": "Playlists",
        "songs.part.sound": "Sound",
        "songs.part.unusual": "Unusual days",
        "songs.sources": "How its streams started: {ways}. With shuffle on: {shuffle}.",
        "songs.sources_none": "encore received none of its plays one by one in this period.",
        "songs.featured.one": "On {count} playlist in Spotify for Artists' export of {day}:",
        "songs.featured.other": "On {count} playlists in Spotify for Artists' export of {day}:",
        "songs.featured_none": "On no playlist in Spotify for Artists' export of {day}.",
        "songs.own": "On your own playlists: {names}.",
        "songs.own_none": "On none of your own playlists.",
        "songs.tempo": "tempo",
        "songs.tempo_value": "{bpm} beats a minute",
        "songs.key": "key",
        "songs.loudness": "loudness",
        "songs.loudness_value": "{lufs} LUFS",
        "songs.energy": "energy",
        "songs.length": "length",
        "songs.audio_none": "No audio file of this song was analysed (the audio folder has none matched to it).",
        "songs.unusual.one": "{count} unusual day, marked on its chart:",
        "songs.unusual.other": "{count} unusual days, marked on its chart:",
        "songs.unusual_none": "No unusual day in this period.",
        "methods.play_starts": "how plays started",
        "methods.play_starts_value": (
            "reason_start of play events (realtime, else history), streams of 30 s or more: "
            "clickrow, playbtn, clickside, popup, remote = chosen; trackdone, autoplay = after "
            "another song; fwdbtn, backbtn = skipped to; anything else = other"
        ),
        "methods.release_days": "first week after a release",
        "methods.release_days_value": (
            "streams of the release day and the 6 days after it against the median streams a day "
            "of the 28 days before (at least 7 needed); releases dated within the data only"
        ),
    },
    "fr": {
        "toc.sources": "Provenance",
        "toc.release_days": "Semaine de sortie",
        "toc.songs": "Chansons",
        "heading.sources": "D'où viennent vos écoutes",
        "heading.release_days": "La première semaine après une sortie",
        "heading.songs": "Vos chansons, une par une",
        "way.chosen": "choisie par l'auditeur",
        "way.after": "enchaînée après une autre chanson",
        "way.skipped_to": "atteinte en passant une autre chanson",
        "way.unknown": "autre ou inconnu",
        "figure.play_starts": "Comment les lectures ont commencé",
        "sources.plays.one": (
            "{streams} écoute est parvenue à encore lecture par lecture sur cette période (les "
            "lectures qu'il reçoit, pas toutes celles que compte Spotify) ; voici comment elle a commencé."
        ),
        "sources.plays.other": (
            "{streams} écoutes sont parvenues à encore lecture par lecture sur cette période (les "
            "lectures qu'il reçoit, pas toutes celles que compte Spotify) ; voici comment elles ont commencé."
        ),
        "sources.shuffle": "En lecture aléatoire : {share}.",
        "sources.playlists.one": (
            "Les playlists qui vous mettent en avant ont apporté {playlist_streams} écoute dans "
            "l'export Spotify for Artists du {day}, selon qui les a créées :"
        ),
        "sources.playlists.other": (
            "Les playlists qui vous mettent en avant ont apporté {playlist_streams} écoutes dans "
            "l'export Spotify for Artists du {day}, selon qui les a créées :"
        ),
        "sources.editorial": "playlists de Spotify",
        "sources.others": "playlists d'auditeurs et de curateurs",
        "column.made_by_whom": "créées par",
        "column.playlists": "playlists",
        "missing.sources_none": (
            "La façon dont une lecture commence vient des lectures qu'encore reçoit une à une "
            "(historique d'écoute ou lectures en temps réel) ; aucune ne lui est parvenue pour cet "
            "artiste sur cette période."
        ),
        "release.none": (
            "Aucune de vos sorties ne tombe dans les jours dont ce rapport a les chiffres "
            "({first} – {last}) : la dernière date du {latest}, il n'y a donc pas de première semaine à montrer."
        ),
        "release.none_known": (
            "Aucune date de sortie n'est connue pour votre catalogue : pas de première semaine à montrer."
        ),
        "release.intro": (
            "{name}, sortie le {day} : chacun de ses sept premiers jours face à votre jour habituel "
            "d'avant ({usual} écoutes, la valeur médiane d'au plus 28 jours avant la sortie)."
        ),
        "release.no_usual": (
            "{name}, sortie le {day} : moins de sept jours de chiffres avant elle, donc pas de jour "
            "habituel auquel comparer."
        ),
        "release.day_number": "jour {number} · {day}",
        "release.column.number": "jour",
        "release.column.streams": "écoutes",
        "release.column.change": "écart",
        "songs.summary.one": "{songs} chanson a été écoutée sur cette période ; elle a sa page ci-dessous.",
        "songs.summary.other": (
            "{songs} chansons ont été écoutées sur cette période ; chacune a sa page ci-dessous, "
            "la plus écoutée d'abord."
        ),
        "songs.numbers.one": (
            "{streams} écoute sur cette période ; auditeurs par jour en moyenne : {listeners}."
        ),
        "songs.numbers.other": (
            "{streams} écoutes sur cette période ; auditeurs par jour en moyenne : {listeners}."
        ),
        "songs.numbers_only.one": "{streams} écoute sur cette période.",
        "songs.numbers_only.other": "{streams} écoutes sur cette période.",
        "songs.part.sources": "D'où viennent ses écoutes",
        "songs.part.playlists": "Playlists",
        "songs.part.sound": "Son",
        "songs.part.unusual": "Jours inhabituels",
        "songs.sources": "Comment ses écoutes ont commencé : {ways}. En lecture aléatoire : {shuffle}.",
        "songs.sources_none": "encore n'a reçu aucune de ses lectures une à une sur cette période.",
        "songs.featured.one": "Dans {count} playlist de l'export Spotify for Artists du {day} :",
        "songs.featured.other": "Dans {count} playlists de l'export Spotify for Artists du {day} :",
        "songs.featured_none": "Dans aucune playlist de l'export Spotify for Artists du {day}.",
        "songs.own": "Dans vos propres playlists : {names}.",
        "songs.own_none": "Dans aucune de vos propres playlists.",
        "songs.tempo": "tempo",
        "songs.tempo_value": "{bpm} battements par minute",
        "songs.key": "tonalité",
        "songs.loudness": "volume",
        "songs.loudness_value": "{lufs} LUFS",
        "songs.energy": "énergie",
        "songs.length": "durée",
        "songs.audio_none": "Aucun fichier audio de ce titre n'a été analysé (le dossier audio n'en contient aucun qui lui corresponde).",
        "songs.unusual.one": "{count} jour inhabituel, marqué sur son graphique :",
        "songs.unusual.other": "{count} jours inhabituels, marqués sur son graphique :",
        "songs.unusual_none": "Aucun jour inhabituel sur cette période.",
        "methods.play_starts": "comment les lectures ont commencé",
        "methods.play_starts_value": (
            "reason_start des lectures (realtime, sinon history), écoutes de 30 s ou plus : "
            "clickrow, playbtn, clickside, popup, remote = choisie ; trackdone, autoplay = après "
            "une autre chanson ; fwdbtn, backbtn = atteinte en passant ; le reste = autre"
        ),
        "methods.release_days": "première semaine après une sortie",
        "methods.release_days_value": (
            "écoutes du jour de sortie et des 6 jours suivants face à la médiane des écoutes par "
            "jour des 28 jours d'avant (7 au moins) ; sorties datées dans les données seulement"
        ),
    },
    "de": {
        "toc.sources": "Herkunft",
        "toc.release_days": "Release-Woche",
        "toc.songs": "Songs",
        "heading.sources": "Woher deine Streams kommen",
        "heading.release_days": "Die erste Woche nach einer Veröffentlichung",
        "heading.songs": "Deine Songs, einer nach dem anderen",
        "way.chosen": "von Hörern ausgewählt",
        "way.after": "nach einem anderen Song weitergespielt",
        "way.skipped_to": "durch Weiterspringen erreicht",
        "way.unknown": "anders oder unbekannt",
        "figure.play_starts": "Wie Wiedergaben begannen",
        "sources.plays.one": (
            "{streams} Stream hat encore in diesem Zeitraum Wiedergabe für Wiedergabe erreicht (die "
            "Wiedergaben, die es empfängt, nicht jeder von Spotify gezählte Stream); so hat er begonnen."
        ),
        "sources.plays.other": (
            "{streams} Streams haben encore in diesem Zeitraum Wiedergabe für Wiedergabe erreicht (die "
            "Wiedergaben, die es empfängt, nicht jeder von Spotify gezählte Stream); so haben sie begonnen."
        ),
        "sources.shuffle": "Mit Zufallswiedergabe: {share}.",
        "sources.playlists.one": (
            "Playlists mit deiner Musik brachten {playlist_streams} Stream im Export von Spotify "
            "for Artists vom {day}, nach ihren Machern:"
        ),
        "sources.playlists.other": (
            "Playlists mit deiner Musik brachten {playlist_streams} Streams im Export von Spotify "
            "for Artists vom {day}, nach ihren Machern:"
        ),
        "sources.editorial": "Playlists von Spotify",
        "sources.others": "Playlists von Hörern und Kuratoren",
        "column.made_by_whom": "erstellt von",
        "column.playlists": "Playlists",
        "missing.sources_none": (
            "Wie Wiedergaben beginnen, zeigen die Wiedergaben, die encore einzeln empfängt "
            "(Streaming-Verlauf oder Echtzeit-Wiedergaben); für diesen Künstler kam in diesem "
            "Zeitraum keine an."
        ),
        "release.none": (
            "Keine deiner Veröffentlichungen fällt in die Tage, für die dieser Bericht Zahlen hat "
            "({first} – {last}): die letzte ist vom {latest}, also gibt es keine erste Woche zu zeigen."
        ),
        "release.none_known": (
            "Für deinen Katalog ist kein Veröffentlichungsdatum bekannt, also gibt es keine erste Woche zu zeigen."
        ),
        "release.intro": (
            "{name}, veröffentlicht am {day}: jeder der ersten sieben Tage gegen deinen üblichen Tag "
            "davor ({usual} Streams, der Median von bis zu 28 Tagen vor der Veröffentlichung)."
        ),
        "release.no_usual": (
            "{name}, veröffentlicht am {day}: weniger als sieben Tage mit Zahlen davor, also kein "
            "üblicher Tag zum Vergleich."
        ),
        "release.day_number": "Tag {number} · {day}",
        "release.column.number": "Tag",
        "release.column.streams": "Streams",
        "release.column.change": "Abweichung",
        "songs.summary.one": (
            "{songs} Song wurde in diesem Zeitraum gestreamt; er hat unten seine eigene Seite."
        ),
        "songs.summary.other": (
            "{songs} Songs wurden in diesem Zeitraum gestreamt; jeder hat unten seine Seite, der "
            "meistgestreamte zuerst."
        ),
        "songs.numbers.one": "{streams} Stream in diesem Zeitraum; Hörer am Tag im Schnitt: {listeners}.",
        "songs.numbers.other": "{streams} Streams in diesem Zeitraum; Hörer am Tag im Schnitt: {listeners}.",
        "songs.numbers_only.one": "{streams} Stream in diesem Zeitraum.",
        "songs.numbers_only.other": "{streams} Streams in diesem Zeitraum.",
        "songs.part.sources": "Woher seine Streams kommen",
        "songs.part.playlists": "Playlists",
        "songs.part.sound": "Klang",
        "songs.part.unusual": "Ungewöhnliche Tage",
        "songs.sources": "Wie seine Streams begannen: {ways}. Mit Zufallswiedergabe: {shuffle}.",
        "songs.sources_none": "encore hat in diesem Zeitraum keine seiner Wiedergaben einzeln empfangen.",
        "songs.featured.one": "In {count} Playlist im Export von Spotify for Artists vom {day}:",
        "songs.featured.other": "In {count} Playlists im Export von Spotify for Artists vom {day}:",
        "songs.featured_none": "In keiner Playlist im Export von Spotify for Artists vom {day}.",
        "songs.own": "In deinen eigenen Playlists: {names}.",
        "songs.own_none": "In keiner deiner eigenen Playlists.",
        "songs.tempo": "Tempo",
        "songs.tempo_value": "{bpm} Schläge pro Minute",
        "songs.key": "Tonart",
        "songs.loudness": "Lautheit",
        "songs.loudness_value": "{lufs} LUFS",
        "songs.energy": "Energie",
        "songs.length": "Länge",
        "songs.audio_none": "Keine Audiodatei dieses Titels wurde analysiert (der Audioordner enthält keine, die ihm zugeordnet ist).",
        "songs.unusual.one": "{count} ungewöhnlicher Tag, in seinem Diagramm markiert:",
        "songs.unusual.other": "{count} ungewöhnliche Tage, in seinem Diagramm markiert:",
        "songs.unusual_none": "Kein ungewöhnlicher Tag in diesem Zeitraum.",
        "methods.play_starts": "wie Wiedergaben begannen",
        "methods.play_starts_value": (
            "reason_start der Wiedergaben (realtime, sonst history), Streams ab 30 s: clickrow, "
            "playbtn, clickside, popup, remote = ausgewählt; trackdone, autoplay = nach einem "
            "anderen Song; fwdbtn, backbtn = durch Weiterspringen; alles andere = anders"
        ),
        "methods.release_days": "erste Woche nach einer Veröffentlichung",
        "methods.release_days_value": (
            "Streams des Veröffentlichungstags und der 6 Tage danach gegen den Median der Streams "
            "am Tag der 28 Tage davor (mindestens 7); nur Veröffentlichungen innerhalb der Daten"
        ),
    },
}
