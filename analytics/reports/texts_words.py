"""The artist report's words for what the detectors and the facts layer produce, in EN, FR, DE.

Merged into :data:`analytics.reports.texts.TEXTS`: plain names for detectors, kinds of unusual
day and the features behind them (the technical names appear only under "Methods and limits"),
and the sentences that state the facts of a period.
"""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        # the charts' words: titles, axes, legends, hover texts and their date formats
        "figure.followers": "Followers across platforms",
        "figure.tempo": "Tempo",
        "figure.keys": "Keys",
        "figure.loudness": "Loudness vs streaming",
        "figure.sounds_like": "Sounds like",
        "chart.day_format": "%-d %b",
        "chart.weekday_format": "%a %-d %b",
        "chart.streams": "streams",
        "chart.listeners": "listeners",
        "chart.followers": "followers",
        "chart.unusual_day": "unusual day",
        "chart.streams_a_day": "streams a day",
        "chart.listeners_a_day": "listeners a day",
        "chart.vs_previous": "vs previous period",
        "chart.new": "new",
        "chart.no_earlier": "no earlier data",
        "chart.other_countries": "Other countries",
        "chart.tracks": "tracks",
        "chart.beats_per_minute": "beats per minute",
        "chart.major": "major",
        "chart.minor": "minor",
        "chart.lufs_integrated": "LUFS (integrated)",
        "chart.turned_down": "turned down {db} dB",
        "chart.below_norm": "{db} dB below the norm",
        "chart.closest": "closest",
        "chart.group": "group {number}",
        "detector.baseline": "usual level for the weekday",
        "detector.isolation_forest": "listening pattern",
        "kind.spike": "more streams than usual",
        "kind.sudden_drop": "fewer streams than usual",
        "kind.release_spike": "release-day rise",
        "kind.suspected_artificial_streaming": "looks like artificial streaming",
        "kind.unusual_listening_pattern": "unusual way of listening",
        "metric.streams": "streams",
        "metric.listeners": "listeners",
        "metric.saves": "saves",
        "metric.streams_per_listener": "streams per listener",
        "metric.skip_rate": "share of plays skipped",
        "metric.completion_rate": "share of plays heard to the end",
        "metric.country_hhi": "concentration in one country",
        "metric.hour_entropy": "spread over the hours of the day",
        "column.day": "day",
        "column.dataset": "dataset",
        "column.passed": "passed",
        "column.expectations": "checks",
        "column.failed": "failed",
        "word.yes": "yes",
        "word.no": "no",
        "dataset.artists": "artists",
        "dataset.albums": "releases",
        "dataset.tracks": "tracks",
        "dataset.playlists": "playlists",
        "dataset.playlist_items": "playlist entries",
        "draft.release_announcement": "release announcement",
        "draft.weekly_recap": "weekly recap",
        "draft.monthly_recap": "monthly recap",
        "draft.milestone_post": "milestone post",
        "draft.playlist_description": "playlist description",
        "draft.short_bio": "short bio",
        "draft.press_kit": "press kit",
        "column.sounds_like": "sounds most like",
        "column.because": "because",
        "column.group": "group",
        "column.what": "song",
        "column.kind": "what happened",
        "column.metric": "measure",
        "column.observed": "seen",
        "column.expected": "usual",
        "column.detector": "noticed by",
        "column.severity": "severity",
        "column.status": "status",
        "column.about": "about",
        "all_songs": "all songs",
        "severity.critical": "critical",
        "severity.warning": "warning",
        "severity.info": "for information",
        "status.firing": "open",
        "status.resolved": "resolved",
        "facts.catalog": "{recordings} in the catalog",
        "facts.catalog_differs": (
            "{recordings} ({catalog_tracks} tracks on {on}; the same recording can appear on several "
            "releases)"
        ),
        "facts.catalog_same": "{recordings} on {on}",
        "facts.releases.one": "{releases} release",
        "facts.releases.other": "{releases} releases",
        "facts.appearances.one": "{appearances} compilation the artist appears on",
        "facts.appearances.other": "{appearances} compilations the artist appears on",
        "facts.and": "{first} and {second}",
        "facts.period_summary": "{start} – {end} · in the catalog: {catalog}.",
        "facts.recordings.one": "{count} recording",
        "facts.recordings.other": "{count} recordings",
        "facts.anomalies.one": "{anomalies} unusual day in this period, marked on the chart.",
        "facts.anomalies.other": "{anomalies} unusual days in this period, each marked on the chart.",
        "facts.alerts.one": (
            "{alerts} alert about this period. Monitoring checks the data after it arrives, so an "
            "alert about the last days can fire after the period ends."
        ),
        "facts.alerts.other": (
            "{alerts} alerts about this period. Monitoring checks the data after it arrives, so an "
            "alert about the last days can fire after the period ends."
        ),
        "alert.anomaly": "Unusual day on {day}: {what}, {kind} ({metric}: {observed}, usually {expected}).",
        "alert.subject": "{subject}",
        "posts.window": "Drafted from the facts of {start} – {end}.",
        "posts.window_outside": (
            "Drafted from the facts of {start} – {end}: the latest drafts reach past this report's "
            "period, so their numbers can differ from the ones above."
        ),
        "social.one_day": (
            "{followers} followers on {platforms} platforms, counted on {day}. Follower history "
            "starts {day}: a chart needs more days."
        ),
        "social.after_period": "{day} is the day after the period: that count tells where the period ended.",
        "card.social_hint_after": "{platforms} platforms, {day} (the day after the period)",
        "history.starts": "history starts {day}",
        "sound.excerpts": (
            "The audio files analysed are short excerpts ({seconds} s each; the demo ships excerpts of "
            "its freely licensed tracks), not whole songs: tempo, key and loudness describe the excerpt."
        ),
        "overview.tracks_listed": "{tracks} listed, {recordings}",
        "methods.detectors": "detectors",
        "methods.detectors_value": (
            "usual level for the weekday = seasonal baseline (robust z-score over the same weekday); "
            "listening pattern = isolation forest over streams per listener, skip and completion "
            "rates, country concentration (HHI) and hour entropy"
        ),
        "methods.sources": "sources",
        "methods.sources_value": (
            "Spotify for Artists exports (s4a), the real-time play stream (realtime) and the "
            "streaming history (history); the same unusual day seen by two sources is listed once"
        ),
    },
    "fr": {
        # the charts' words: titles, axes, legends, hover texts and their date formats
        "figure.followers": "Abonnés par plateforme",
        "figure.tempo": "Tempo",
        "figure.keys": "Tonalités",
        "figure.loudness": "Volume et norme du streaming",
        "figure.sounds_like": "Ressemblances",
        "chart.day_format": "%-d %b",
        "chart.weekday_format": "%a %-d %b",
        "chart.streams": "écoutes",
        "chart.listeners": "auditeurs",
        "chart.followers": "abonnés",
        "chart.unusual_day": "jour inhabituel",
        "chart.streams_a_day": "écoutes par jour",
        "chart.listeners_a_day": "auditeurs par jour",
        "chart.vs_previous": "par rapport à la période précédente",
        "chart.new": "nouveau",
        "chart.no_earlier": "pas de données antérieures",
        "chart.other_countries": "Autres pays",
        "chart.tracks": "titres",
        "chart.beats_per_minute": "battements par minute",
        "chart.major": "majeur",
        "chart.minor": "mineur",
        "chart.lufs_integrated": "LUFS (intégré)",
        "chart.turned_down": "baissé de {db} dB",
        "chart.below_norm": "{db} dB sous la norme",
        "chart.closest": "le plus proche",
        "chart.group": "groupe {number}",
        "detector.baseline": "niveau habituel du jour de la semaine",
        "detector.isolation_forest": "façon d'écouter",
        "kind.spike": "plus d'écoutes que d'habitude",
        "kind.sudden_drop": "moins d'écoutes que d'habitude",
        "kind.release_spike": "hausse à la sortie",
        "kind.suspected_artificial_streaming": "ressemble à des écoutes artificielles",
        "kind.unusual_listening_pattern": "façon d'écouter inhabituelle",
        "metric.streams": "écoutes",
        "metric.listeners": "auditeurs",
        "metric.saves": "sauvegardes",
        "metric.streams_per_listener": "écoutes par auditeur",
        "metric.skip_rate": "part des écoutes passées",
        "metric.completion_rate": "part des écoutes jusqu'au bout",
        "metric.country_hhi": "concentration dans un pays",
        "metric.hour_entropy": "répartition sur les heures de la journée",
        "column.day": "jour",
        "column.dataset": "jeu de données",
        "column.passed": "réussi",
        "column.expectations": "contrôles",
        "column.failed": "échoués",
        "word.yes": "oui",
        "word.no": "non",
        "dataset.artists": "artistes",
        "dataset.albums": "sorties",
        "dataset.tracks": "titres",
        "dataset.playlists": "playlists",
        "dataset.playlist_items": "titres des playlists",
        "draft.release_announcement": "annonce de sortie",
        "draft.weekly_recap": "bilan de la semaine",
        "draft.monthly_recap": "bilan du mois",
        "draft.milestone_post": "cap franchi",
        "draft.playlist_description": "description de playlist",
        "draft.short_bio": "bio courte",
        "draft.press_kit": "dossier de presse",
        "column.sounds_like": "ressemble le plus à",
        "column.because": "parce que",
        "column.group": "groupe",
        "column.what": "titre",
        "column.kind": "ce qui s'est passé",
        "column.metric": "mesure",
        "column.observed": "observé",
        "column.expected": "habituel",
        "column.detector": "repéré par",
        "column.severity": "gravité",
        "column.status": "état",
        "column.about": "objet",
        "all_songs": "tous les titres",
        "severity.critical": "critique",
        "severity.warning": "avertissement",
        "severity.info": "pour information",
        "status.firing": "ouverte",
        "status.resolved": "résolue",
        "facts.catalog": "{recordings} au catalogue",
        "facts.catalog_differs": (
            "{recordings} ({catalog_tracks} pistes sur {on} ; un même enregistrement peut figurer sur "
            "plusieurs sorties)"
        ),
        "facts.catalog_same": "{recordings} sur {on}",
        "facts.releases.one": "{releases} sortie",
        "facts.releases.other": "{releases} sorties",
        "facts.appearances.one": "{appearances} compilation où figure l'artiste",
        "facts.appearances.other": "{appearances} compilations où figure l'artiste",
        "facts.and": "{first} et {second}",
        "facts.period_summary": "{start} – {end} · au catalogue : {catalog}.",
        "facts.recordings.one": "{count} enregistrement",
        "facts.recordings.other": "{count} enregistrements",
        "facts.anomalies.one": "{anomalies} jour inhabituel sur cette période, marqué sur le graphique.",
        "facts.anomalies.other": "{anomalies} jours inhabituels sur cette période, chacun marqué sur le graphique.",
        "facts.alerts.one": (
            "{alerts} alerte sur cette période. La surveillance vérifie les données après leur "
            "arrivée : une alerte sur les derniers jours peut se déclencher après la fin de la période."
        ),
        "facts.alerts.other": (
            "{alerts} alertes sur cette période. La surveillance vérifie les données après leur "
            "arrivée : une alerte sur les derniers jours peut se déclencher après la fin de la période."
        ),
        "alert.anomaly": (
            "Jour inhabituel le {day} : {what}, {kind} ({metric} : {observed}, d'habitude {expected})."
        ),
        "alert.subject": "{subject}",
        "posts.window": "Rédigées à partir des faits du {start} au {end}.",
        "posts.window_outside": (
            "Rédigées à partir des faits du {start} au {end} : les derniers brouillons dépassent la "
            "période de ce rapport, leurs chiffres peuvent donc différer de ceux ci-dessus."
        ),
        "social.one_day": (
            "{followers} abonnés sur {platforms} plateformes, comptés le {day}. L'historique des "
            "abonnés commence le {day} : un graphique demande plus de jours."
        ),
        "social.after_period": "Le {day} est le lendemain de la période : ce compte dit où elle s'est terminée.",
        "card.social_hint_after": "{platforms} plateformes, {day} (le lendemain de la période)",
        "history.starts": "historique à partir du {day}",
        "sound.excerpts": (
            "Les fichiers audio analysés sont de courts extraits ({seconds} s chacun ; la démo fournit "
            "des extraits de ses titres sous licence libre), pas les morceaux entiers : tempo, "
            "tonalité et volume décrivent l'extrait."
        ),
        "overview.tracks_listed": "{tracks} listés, {recordings}",
        "methods.detectors": "détecteurs",
        "methods.detectors_value": (
            "niveau habituel du jour de la semaine = ligne de base saisonnière (z-score robuste sur "
            "le même jour de la semaine) ; façon d'écouter = isolation forest sur les écoutes par "
            "auditeur, les taux de saut et d'écoute complète, la concentration par pays (HHI) et "
            "l'entropie horaire"
        ),
        "methods.sources": "sources",
        "methods.sources_value": (
            "exports Spotify for Artists (s4a), flux d'écoutes en temps réel (realtime) et historique "
            "d'écoute (history) ; un même jour inhabituel vu par deux sources n'est listé qu'une fois"
        ),
    },
    "de": {
        # the charts' words: titles, axes, legends, hover texts and their date formats
        "figure.followers": "Follower nach Plattform",
        "figure.tempo": "Tempo",
        "figure.keys": "Tonarten",
        "figure.loudness": "Lautheit gegenüber Streaming",
        "figure.sounds_like": "Klangverwandtschaft",
        "chart.day_format": "%-d. %b",
        "chart.weekday_format": "%a %-d. %b",
        "chart.streams": "Streams",
        "chart.listeners": "Hörer",
        "chart.followers": "Follower",
        "chart.unusual_day": "ungewöhnlicher Tag",
        "chart.streams_a_day": "Streams pro Tag",
        "chart.listeners_a_day": "Hörer pro Tag",
        "chart.vs_previous": "gegenüber dem vorherigen Zeitraum",
        "chart.new": "neu",
        "chart.no_earlier": "keine früheren Daten",
        "chart.other_countries": "Andere Länder",
        "chart.tracks": "Titel",
        "chart.beats_per_minute": "Schläge pro Minute",
        "chart.major": "Dur",
        "chart.minor": "Moll",
        "chart.lufs_integrated": "LUFS (integriert)",
        "chart.turned_down": "um {db} dB leiser gestellt",
        "chart.below_norm": "{db} dB unter der Norm",
        "chart.closest": "am ähnlichsten",
        "chart.group": "Gruppe {number}",
        "detector.baseline": "übliches Niveau des Wochentags",
        "detector.isolation_forest": "Hörmuster",
        "kind.spike": "mehr Streams als üblich",
        "kind.sudden_drop": "weniger Streams als üblich",
        "kind.release_spike": "Anstieg zur Veröffentlichung",
        "kind.suspected_artificial_streaming": "wirkt wie künstliche Streams",
        "kind.unusual_listening_pattern": "ungewöhnliches Hörmuster",
        "metric.streams": "Streams",
        "metric.listeners": "Hörer",
        "metric.saves": "Saves",
        "metric.streams_per_listener": "Streams pro Hörer",
        "metric.skip_rate": "Anteil übersprungener Wiedergaben",
        "metric.completion_rate": "Anteil bis zum Ende gehörter Wiedergaben",
        "metric.country_hhi": "Konzentration auf ein Land",
        "metric.hour_entropy": "Verteilung über die Tageszeit",
        "column.day": "Tag",
        "column.dataset": "Datensatz",
        "column.passed": "bestanden",
        "column.expectations": "Prüfungen",
        "column.failed": "fehlgeschlagen",
        "word.yes": "ja",
        "word.no": "nein",
        "dataset.artists": "Künstler",
        "dataset.albums": "Veröffentlichungen",
        "dataset.tracks": "Titel",
        "dataset.playlists": "Playlists",
        "dataset.playlist_items": "Playlist-Einträge",
        "draft.release_announcement": "Release-Ankündigung",
        "draft.weekly_recap": "Wochenrückblick",
        "draft.monthly_recap": "Monatsrückblick",
        "draft.milestone_post": "Meilenstein",
        "draft.playlist_description": "Playlist-Beschreibung",
        "draft.short_bio": "Kurzbiografie",
        "draft.press_kit": "Pressemappe",
        "column.sounds_like": "klingt am ehesten wie",
        "column.because": "weil",
        "column.group": "Gruppe",
        "column.what": "Titel",
        "column.kind": "was geschah",
        "column.metric": "Messgröße",
        "column.observed": "gesehen",
        "column.expected": "üblich",
        "column.detector": "bemerkt durch",
        "column.severity": "Schwere",
        "column.status": "Status",
        "column.about": "betrifft",
        "all_songs": "alle Titel",
        "severity.critical": "kritisch",
        "severity.warning": "Warnung",
        "severity.info": "zur Information",
        "status.firing": "offen",
        "status.resolved": "erledigt",
        "facts.catalog": "{recordings} im Katalog",
        "facts.catalog_differs": (
            "{recordings} ({catalog_tracks} Tracks auf {on}; dieselbe Aufnahme kann auf mehreren "
            "Veröffentlichungen stehen)"
        ),
        "facts.catalog_same": "{recordings} auf {on}",
        "facts.releases.one": "{releases} Veröffentlichung",
        "facts.releases.other": "{releases} Veröffentlichungen",
        "facts.appearances.one": "{appearances} Compilation mit dem Künstler",
        "facts.appearances.other": "{appearances} Compilations mit dem Künstler",
        "facts.and": "{first} und {second}",
        "facts.period_summary": "{start} – {end} · im Katalog: {catalog}.",
        "facts.recordings.one": "{count} Aufnahme",
        "facts.recordings.other": "{count} Aufnahmen",
        "facts.anomalies.one": "{anomalies} ungewöhnlicher Tag in diesem Zeitraum, im Diagramm markiert.",
        "facts.anomalies.other": "{anomalies} ungewöhnliche Tage in diesem Zeitraum, jeder im Diagramm markiert.",
        "facts.alerts.one": (
            "{alerts} Warnung zu diesem Zeitraum. Die Überwachung prüft die Daten nach ihrem "
            "Eintreffen, daher kann eine Warnung zu den letzten Tagen nach dem Zeitraum ausgelöst werden."
        ),
        "facts.alerts.other": (
            "{alerts} Warnungen zu diesem Zeitraum. Die Überwachung prüft die Daten nach ihrem "
            "Eintreffen, daher kann eine Warnung zu den letzten Tagen nach dem Zeitraum ausgelöst werden."
        ),
        "alert.anomaly": (
            "Ungewöhnlicher Tag am {day}: {what}, {kind} ({metric}: {observed}, üblich {expected})."
        ),
        "alert.subject": "{subject}",
        "posts.window": "Verfasst aus den Fakten vom {start} bis {end}.",
        "posts.window_outside": (
            "Verfasst aus den Fakten vom {start} bis {end}: Die neuesten Entwürfe reichen über den "
            "Zeitraum dieses Berichts hinaus, ihre Zahlen können von den obigen abweichen."
        ),
        "social.one_day": (
            "{followers} Follower auf {platforms} Plattformen, gezählt am {day}. Der Follower-Verlauf "
            "beginnt am {day}: ein Diagramm braucht mehr Tage."
        ),
        "social.after_period": "Der {day} ist der Tag nach dem Zeitraum: diese Zahl zeigt, wo er endete.",
        "card.social_hint_after": "{platforms} Plattformen, {day} (Tag nach dem Zeitraum)",
        "history.starts": "Verlauf ab {day}",
        "sound.excerpts": (
            "Die analysierten Audiodateien sind kurze Ausschnitte ({seconds} s je Titel; die Demo "
            "liefert Ausschnitte ihrer frei lizenzierten Titel), keine ganzen Songs: Tempo, Tonart "
            "und Lautheit beschreiben den Ausschnitt."
        ),
        "overview.tracks_listed": "{tracks} gelistet, {recordings}",
        "methods.detectors": "Detektoren",
        "methods.detectors_value": (
            "übliches Niveau des Wochentags = saisonale Basislinie (robuster z-Wert über denselben "
            "Wochentag); Hörmuster = Isolation Forest über Streams pro Hörer, Skip- und "
            "Abschlussrate, Länderkonzentration (HHI) und Stunden-Entropie"
        ),
        "methods.sources": "Quellen",
        "methods.sources_value": (
            "Spotify-for-Artists-Exporte (s4a), der Echtzeit-Wiedergabestrom (realtime) und der "
            "Streaming-Verlauf (history); derselbe ungewöhnliche Tag aus zwei Quellen steht nur einmal"
        ),
    },
}
