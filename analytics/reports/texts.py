"""The artist report's fixed texts in English, French and German.

Headings, the notes that say what is missing and why, and the labels of "Methods and limits"
come from :data:`TEXTS`, chosen by the report's ``language``. Values from data are never part of
these texts: they are filled into ``{placeholders}`` and escaped where the text is displayed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from babel import Locale
from babel.numbers import format_decimal

from analytics.reports.texts_analysis import ANALYSIS
from analytics.reports.texts_featured import FEATURED
from analytics.reports.texts_pages import PAGES
from analytics.reports.texts_songs import SONGS
from analytics.reports.texts_sound import SOUND
from analytics.reports.texts_words import WORDS

LANGUAGES = ("en", "fr", "de")

TEXTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        # contents and headings
        "toc.highlights": "Highlights",
        "toc.streams": "Streams",
        "toc.top_tracks": "Top tracks",
        "toc.countries": "Countries",
        "toc.social": "Social",
        "toc.sound": "Sound",
        "toc.playlists": "Playlists",
        "toc.alerts": "Alerts",
        "toc.posts": "Posts",
        "toc.data_quality": "Data quality",
        "toc.methods": "Methods",
        "heading.highlights": "Highlights",
        "heading.streams": "Streams and listeners",
        "heading.top_tracks": "Top tracks and their momentum",
        "heading.countries": "Audience by country",
        "heading.social": "Social audience",
        "heading.sound": "Sound of the catalog",
        "heading.playlists": "Playlist changes",
        "heading.alerts": "Alerts",
        "heading.posts": "Posts ready to copy",
        "heading.data_quality": "Data quality",
        "heading.methods": "Methods and limits",
        "subtitle": "Artist report · {start} – {end}",
        "page.generated": (
            "Generated {generated} by encore. This page works offline and loads nothing from the network."
        ),
        # highlights
        "period_summary": "{start} – {end} · {tracks} in the catalog.",
        "tracks.one": "{count} track",
        "tracks.other": "{count} tracks",
        "card.streams": "Streams",
        "card.listeners": "Listeners a day",
        "card.saves": "Saves",
        "card.social_followers": "Social followers",
        "card.social_hint": "{platforms} platforms, {day}",
        "card.spotify_followers": "Spotify followers",
        "card.followers_development": "unavailable in development quota mode",
        "card.followers_unreported": "not reported",
        "card.releases": "Releases",
        "change.none": "no earlier period to compare",
        "change.same": "same as the previous period",
        "change.vs_previous": "{change} vs previous period",
        # section notes and figure titles
        "figure.streams_a_day": "Streams a day",
        "figure.streams_and_change": "Streams and change",
        "figure.streams_by_country": "Streams by country",
        "anomalies.caption": (
            "Unusual days: what was seen against what was expected, and which detector said so."
        ),
        "anomalies.none": "No unusual days in this period.",
        "tracks.no_track_numbers": "The streaming source has no per-track numbers for this artist.",
        "tracks.none_streamed": "No track was streamed in this period.",
        "tracks.no_earlier": "Your streaming data starts within this period: there is nothing earlier to compare these songs with.",
        "sound.measured": "Measured from {measured} of {tracks} recordings' audio files.",
        "sound.map_needs_three": "The similarity map needs at least three analysed tracks.",
        "posts.more.one": "{count} more draft in the warehouse.",
        "posts.more.other": "{count} more drafts in the warehouse.",
        "quality.all_passed.one": "The {count} dataset passed its checks before this report read it.",
        "quality.all_passed.other": "All {count} datasets passed their checks before this report read them.",
        "quality.failed.one": "{count} dataset failed its checks: {datasets}",
        "quality.failed.other": "{count} datasets failed their checks: {datasets}",
        "set_aside.note.one": (
            "This run set {count} input aside and completed without it; what is missing from this page:"
        ),
        "set_aside.note.other": (
            "This run set {count} inputs aside and completed without them; what is missing from this page:"
        ),
        "set_aside.what": "what",
        "set_aside.item": "item",
        "set_aside.reason": "why it was set aside",
        "quality.docs_before": "Every expectation and its result: ",
        "quality.docs_link": "Data Docs",
        "quality.docs_after": ".",
        # what is missing and why
        "missing.streaming_no_tables": (
            "No streaming data: the warehouse has no streaming tables yet. Import Spotify for Artists "
            "exports (Audience and Songs CSVs) or the streaming history by running "
            "encore run."
        ),
        "missing.countries_no_tables": "No streaming data: the warehouse has no streaming tables yet.",
        "missing.streaming_none": (
            "No streaming data for this artist yet: import Spotify for Artists exports (Audience and "
            "Songs CSVs) or the streaming history by running encore run."
        ),
        "missing.streaming_since": (
            "No streaming data for this artist since {since}: import recent Spotify for Artists "
            "exports by running encore run."
        ),
        "missing.streaming_late": (
            "Streaming data ends on {last}, before the end of the period: Spotify for Artists exports "
            "lag by a day or two."
        ),
        "missing.countries_none": (
            "No listening by country: countries come from play events (streaming history or the "
            "real-time feed), and none are stored for this artist."
        ),
        "missing.countries_period": "No plays with a country in this period.",
        "missing.social_not_run": "No social data: the social sync (part of encore run) has not run on this warehouse.",
        "missing.social_unlinked": (
            "No social accounts linked to this artist yet: link them (encore run finds them "
            "on MusicBrainz, or add an override) and run encore run again."
        ),
        "missing.social_hidden": "The linked platforms hide follower counts for these accounts.",
        "missing.audio": (
            "No audio analysis for this artist: Spotify removed audio features for new apps in 2024, "
            "so encore measures the artist's own files. Put the masters (WAV, FLAC, Ogg or MP3, "
            "tagged with their ISRC or title) in the audio folder and run encore run."
        ),
        "missing.playlists": (
            "No changes to the artist's playlists in this period (encore sees only playlists the "
            "account owns or collaborates on)."
        ),
        "missing.alerts_not_run": "No alerts: monitoring has not run on this warehouse.",
        "missing.alerts_none": "No alerts fired in this period.",
        "missing.drafts_none": "No content drafts yet: encore run writes them from the facts.",
        "missing.drafts_ungrounded": (
            "No grounded drafts for this period: every draft failed its fact check."
        ),
        "missing.validation": "No validation results in this run folder.",
        # methods and limits
        "quota.development": (
            "Development quota mode: Spotify gives this app no follower counts, popularity, labels, "
            "artist top tracks or other people's playlists, so the report shows none of them; "
            "streaming numbers come from your own Spotify for Artists exports instead."
        ),
        "quota.extended": "Extended quota mode: followers and popularity come from the Spotify Web API.",
        "quota.unknown_mode": "Quota mode: {mode}.",
        "methods.period": "period",
        "methods.period_value": "{start} to {end}",
        "methods.quota_mode": "quota mode",
        "methods.streaming_up_to": "streaming data up to",
        "methods.social_up_to": "social numbers up to",
        "methods.report_built": "report built",
        "methods.streaming_source": "streaming source",
        "methods.none": "none",
        "methods.listeners": "listeners",
        "methods.listeners_value": "a daily figure from the source; averaged over the period, never summed",
        "methods.anomalies": "anomalies",
        "methods.anomalies_value": (
            "robust day-of-week baseline and an isolation forest, with the facts behind each"
        ),
        "methods.loudness_norm": "loudness norm",
        "methods.loudness_norm_value": "Spotify plays tracks at about -14 LUFS; louder masters are turned down",
        "methods.run": "run",
        "methods.code_version": "code version",
        "methods.sections_missing.one": "{count} section has no data for this artist; it says why above.",
        "methods.sections_missing.other": "{count} sections have no data for this artist; each says why above.",
    },
    "fr": {
        "toc.highlights": "Essentiel",
        "toc.streams": "Écoutes",
        "toc.top_tracks": "Titres phares",
        "toc.countries": "Pays",
        "toc.social": "Réseaux sociaux",
        "toc.sound": "Son",
        "toc.playlists": "Playlists",
        "toc.alerts": "Alertes",
        "toc.posts": "Publications",
        "toc.data_quality": "Qualité des données",
        "toc.methods": "Méthodes",
        "heading.highlights": "L'essentiel",
        "heading.streams": "Écoutes et auditeurs",
        "heading.top_tracks": "Titres phares et leur dynamique",
        "heading.countries": "Public par pays",
        "heading.social": "Audience sur les réseaux sociaux",
        "heading.sound": "Le son du catalogue",
        "heading.playlists": "Changements dans les playlists",
        "heading.alerts": "Alertes",
        "heading.posts": "Publications prêtes à copier",
        "heading.data_quality": "Qualité des données",
        "heading.methods": "Méthodes et limites",
        "subtitle": "Rapport d'artiste · {start} – {end}",
        "page.generated": (
            "Généré le {generated} par encore. Cette page fonctionne hors ligne et ne charge rien depuis le réseau."
        ),
        "period_summary": "{start} – {end} · {tracks} au catalogue.",
        "tracks.one": "{count} titre",
        "tracks.other": "{count} titres",
        "card.streams": "Écoutes",
        "card.listeners": "Auditeurs par jour",
        "card.saves": "Enregistrements",
        "card.social_followers": "Abonnés sur les réseaux",
        "card.social_hint": "{platforms} plateformes, {day}",
        "card.spotify_followers": "Abonnés Spotify",
        "card.followers_development": "indisponible en mode de quota développement",
        "card.followers_unreported": "non communiqué",
        "card.releases": "Sorties",
        "change.none": "aucune période antérieure à comparer",
        "change.same": "identique à la période précédente",
        "change.vs_previous": "{change} par rapport à la période précédente",
        "figure.streams_a_day": "Écoutes par jour",
        "figure.streams_and_change": "Écoutes et évolution",
        "figure.streams_by_country": "Écoutes par pays",
        "anomalies.caption": (
            "Jours inhabituels : ce qui a été observé, ce qui était attendu, et le détecteur qui l'a signalé."
        ),
        "anomalies.none": "Aucun jour inhabituel sur cette période.",
        "tracks.no_track_numbers": "La source d'écoutes ne donne pas de chiffres par titre pour cet artiste.",
        "tracks.none_streamed": "Aucun titre n'a été écouté sur cette période.",
        "tracks.no_earlier": "Vos données d'écoute commencent pendant cette période : rien d'antérieur ne permet de comparer ces titres.",
        "sound.measured": "Mesuré à partir des fichiers audio de {measured} enregistrements sur {tracks}.",
        "sound.map_needs_three": "La carte des ressemblances nécessite au moins trois titres analysés.",
        "posts.more.one": "{count} autre brouillon dans l'entrepôt.",
        "posts.more.other": "{count} autres brouillons dans l'entrepôt.",
        "quality.all_passed.one": (
            "{count} jeu de données a passé ses contrôles avant que ce rapport ne le lise."
        ),
        "quality.all_passed.other": (
            "Les {count} jeux de données ont passé leurs contrôles avant que ce rapport ne les lise."
        ),
        "quality.failed.one": "{count} jeu de données a échoué à ses contrôles : {datasets}",
        "quality.failed.other": "{count} jeux de données ont échoué à leurs contrôles : {datasets}",
        "set_aside.note.one": (
            "Cette exécution a écarté {count} entrée et s'est terminée sans elle ; ce qui manque "
            "à cette page :"
        ),
        "set_aside.note.other": (
            "Cette exécution a écarté {count} entrées et s'est terminée sans elles ; ce qui manque "
            "à cette page :"
        ),
        "set_aside.what": "quoi",
        "set_aside.item": "élément",
        "set_aside.reason": "pourquoi il a été écarté",
        "quality.docs_before": "Chaque attente et son résultat : ",
        "quality.docs_link": "Data Docs",
        "quality.docs_after": ".",
        "missing.streaming_no_tables": (
            "Aucune donnée d'écoute : l'entrepôt n'a pas encore de tables d'écoutes. Importez les "
            "exports Spotify for Artists (CSV Audience et Songs) ou l'historique d'écoute en lançant "
            "encore run."
        ),
        "missing.countries_no_tables": (
            "Aucune donnée d'écoute : l'entrepôt n'a pas encore de tables d'écoutes."
        ),
        "missing.streaming_none": (
            "Pas encore de données d'écoute pour cet artiste : importez les exports Spotify for Artists "
            "(CSV Audience et Songs) ou l'historique d'écoute en lançant encore run."
        ),
        "missing.streaming_since": (
            "Aucune donnée d'écoute pour cet artiste depuis le {since} : importez des exports Spotify "
            "for Artists récents en lançant encore run."
        ),
        "missing.streaming_late": (
            "Les données d'écoute s'arrêtent au {last}, avant la fin de la période : les exports "
            "Spotify for Artists ont un ou deux jours de retard."
        ),
        "missing.countries_none": (
            "Pas d'écoutes par pays : les pays proviennent des événements d'écoute (historique d'écoute "
            "ou flux en temps réel), et aucun n'est enregistré pour cet artiste."
        ),
        "missing.countries_period": "Aucune écoute avec un pays sur cette période.",
        "missing.social_not_run": (
            "Aucune donnée sociale : la synchronisation sociale (encore run) n'a pas été exécutée sur cet entrepôt."
        ),
        "missing.social_unlinked": (
            "Aucun compte social n'est encore associé à cet artiste : associez-les (encore run "
            "les retrouve via MusicBrainz, ou ajoutez une correspondance manuelle) puis relancez "
            "encore run."
        ),
        "missing.social_hidden": "Les plateformes associées masquent le nombre d'abonnés de ces comptes.",
        "missing.audio": (
            "Aucune analyse audio pour cet artiste : Spotify a supprimé les caractéristiques audio pour "
            "les nouvelles applications en 2024, encore mesure donc les fichiers de l'artiste. Placez "
            "les masters (WAV, FLAC, Ogg ou MP3, avec leur ISRC ou leur titre dans les tags) dans le "
            "dossier audio et lancez encore run."
        ),
        "missing.playlists": (
            "Aucun changement dans les playlists de l'artiste sur cette période (encore ne voit que les "
            "playlists dont le compte est propriétaire ou collaborateur)."
        ),
        "missing.alerts_not_run": ("Aucune alerte : la surveillance n'a pas été exécutée sur cet entrepôt."),
        "missing.alerts_none": "Aucune alerte déclenchée sur cette période.",
        "missing.drafts_none": (
            "Pas encore de brouillons de publication : encore run les rédige à partir des faits."
        ),
        "missing.drafts_ungrounded": (
            "Aucun brouillon vérifié pour cette période : chaque brouillon a échoué à la vérification "
            "des faits."
        ),
        "missing.validation": "Aucun résultat de validation dans le dossier de cette exécution.",
        "quota.development": (
            "Mode de quota développement : Spotify ne donne à cette application ni nombre d'abonnés, "
            "ni popularité, ni labels, ni titres phares de l'artiste, ni les playlists des autres ; le "
            "rapport n'en montre donc aucun, et les chiffres d'écoute viennent de vos propres exports "
            "Spotify for Artists."
        ),
        "quota.extended": (
            "Mode de quota étendu : les abonnés et la popularité viennent de l'API Web de Spotify."
        ),
        "quota.unknown_mode": "Mode de quota : {mode}.",
        "methods.period": "période",
        "methods.period_value": "du {start} au {end}",
        "methods.quota_mode": "mode de quota",
        "methods.streaming_up_to": "données d'écoute jusqu'au",
        "methods.social_up_to": "chiffres sociaux jusqu'au",
        "methods.report_built": "rapport généré le",
        "methods.streaming_source": "source des écoutes",
        "methods.none": "aucune",
        "methods.listeners": "auditeurs",
        "methods.listeners_value": (
            "un chiffre quotidien de la source, moyenné sur la période, jamais additionné"
        ),
        "methods.anomalies": "anomalies",
        "methods.anomalies_value": (
            "référence robuste par jour de la semaine et forêt d'isolement, avec les faits derrière chacune"
        ),
        "methods.loudness_norm": "norme de volume",
        "methods.loudness_norm_value": (
            "Spotify diffuse les titres à environ -14 LUFS ; les masters plus forts sont baissés"
        ),
        "methods.run": "exécution",
        "methods.code_version": "version du code",
        "methods.sections_missing.one": (
            "{count} section n'a pas de données pour cet artiste ; elle explique pourquoi plus haut."
        ),
        "methods.sections_missing.other": (
            "{count} sections n'ont pas de données pour cet artiste ; chacune explique pourquoi plus haut."
        ),
    },
    "de": {
        "toc.highlights": "Überblick",
        "toc.streams": "Streams",
        "toc.top_tracks": "Top-Titel",
        "toc.countries": "Länder",
        "toc.social": "Social Media",
        "toc.sound": "Sound",
        "toc.playlists": "Playlists",
        "toc.alerts": "Warnungen",
        "toc.posts": "Beiträge",
        "toc.data_quality": "Datenqualität",
        "toc.methods": "Methoden",
        "heading.highlights": "Überblick",
        "heading.streams": "Streams und Hörer",
        "heading.top_tracks": "Top-Titel und ihre Entwicklung",
        "heading.countries": "Publikum nach Ländern",
        "heading.social": "Reichweite in sozialen Netzwerken",
        "heading.sound": "Der Sound des Katalogs",
        "heading.playlists": "Änderungen in Playlists",
        "heading.alerts": "Warnungen",
        "heading.posts": "Beiträge zum Kopieren",
        "heading.data_quality": "Datenqualität",
        "heading.methods": "Methoden und Grenzen",
        "subtitle": "Künstlerbericht · {start} – {end}",
        "page.generated": (
            "Erstellt am {generated} von encore. Diese Seite funktioniert offline und lädt nichts aus dem Netz."
        ),
        "period_summary": "{start} – {end} · {tracks} im Katalog.",
        "tracks.one": "{count} Titel",
        "tracks.other": "{count} Titel",
        "card.streams": "Streams",
        "card.listeners": "Hörer pro Tag",
        "card.saves": "Gespeichert",
        "card.social_followers": "Follower in sozialen Netzwerken",
        "card.social_hint": "{platforms} Plattformen, {day}",
        "card.spotify_followers": "Spotify-Follower",
        "card.followers_development": "im Entwicklungs-Kontingentmodus nicht verfügbar",
        "card.followers_unreported": "nicht gemeldet",
        "card.releases": "Veröffentlichungen",
        "change.none": "kein früherer Zeitraum zum Vergleich",
        "change.same": "wie im vorherigen Zeitraum",
        "change.vs_previous": "{change} gegenüber dem vorherigen Zeitraum",
        "figure.streams_a_day": "Streams pro Tag",
        "figure.streams_and_change": "Streams und Veränderung",
        "figure.streams_by_country": "Streams nach Ländern",
        "anomalies.caption": (
            "Ungewöhnliche Tage: was beobachtet wurde, was zu erwarten war und welcher Detektor es "
            "gemeldet hat."
        ),
        "anomalies.none": "Keine ungewöhnlichen Tage in diesem Zeitraum.",
        "tracks.no_track_numbers": "Die Streaming-Quelle liefert für diesen Künstler keine Zahlen pro Titel.",
        "tracks.none_streamed": "In diesem Zeitraum wurde kein Titel gestreamt.",
        "tracks.no_earlier": "Ihre Streamingdaten beginnen in diesem Zeitraum: Es gibt nichts Früheres, mit dem sich diese Titel vergleichen lassen.",
        "sound.measured": "Gemessen anhand der Audiodateien von {measured} der {tracks} Aufnahmen.",
        "sound.map_needs_three": "Die Ähnlichkeitskarte braucht mindestens drei analysierte Titel.",
        "posts.more.one": "{count} weiterer Entwurf im Warehouse.",
        "posts.more.other": "{count} weitere Entwürfe im Warehouse.",
        "quality.all_passed.one": (
            "{count} Datensatz hat seine Prüfungen bestanden, bevor dieser Bericht ihn gelesen hat."
        ),
        "quality.all_passed.other": (
            "Alle {count} Datensätze haben ihre Prüfungen bestanden, bevor dieser Bericht sie gelesen hat."
        ),
        "quality.failed.one": "{count} Datensatz hat seine Prüfungen nicht bestanden: {datasets}",
        "quality.failed.other": "{count} Datensätze haben ihre Prüfungen nicht bestanden: {datasets}",
        "set_aside.note.one": (
            "Dieser Lauf hat {count} Eingabe zurückgestellt und ohne sie abgeschlossen; was auf "
            "dieser Seite fehlt:"
        ),
        "set_aside.note.other": (
            "Dieser Lauf hat {count} Eingaben zurückgestellt und ohne sie abgeschlossen; was auf "
            "dieser Seite fehlt:"
        ),
        "set_aside.what": "was",
        "set_aside.item": "Element",
        "set_aside.reason": "warum zurückgestellt",
        "quality.docs_before": "Jede Erwartung und ihr Ergebnis: ",
        "quality.docs_link": "Data Docs",
        "quality.docs_after": ".",
        "missing.streaming_no_tables": (
            "Keine Streaming-Daten: Das Warehouse hat noch keine Streaming-Tabellen. Importieren Sie "
            "Spotify-for-Artists-Exporte (Audience- und Songs-CSVs) oder den Streaming-Verlauf mit "
            "encore run."
        ),
        "missing.countries_no_tables": (
            "Keine Streaming-Daten: Das Warehouse hat noch keine Streaming-Tabellen."
        ),
        "missing.streaming_none": (
            "Noch keine Streaming-Daten für diesen Künstler: Importieren Sie Spotify-for-Artists-Exporte "
            "(Audience- und Songs-CSVs) oder den Streaming-Verlauf mit encore run."
        ),
        "missing.streaming_since": (
            "Keine Streaming-Daten für diesen Künstler seit dem {since}: Importieren Sie aktuelle "
            "Spotify-for-Artists-Exporte mit encore run."
        ),
        "missing.streaming_late": (
            "Die Streaming-Daten enden am {last}, vor dem Ende des Zeitraums: Spotify-for-Artists-"
            "Exporte hinken ein bis zwei Tage hinterher."
        ),
        "missing.countries_none": (
            "Keine Wiedergaben nach Ländern: Länder stammen aus Wiedergabe-Ereignissen "
            "(Streaming-Verlauf oder Echtzeit-Feed), und für diesen Künstler ist keines gespeichert."
        ),
        "missing.countries_period": "Keine Wiedergaben mit Land in diesem Zeitraum.",
        "missing.social_not_run": (
            "Keine Social-Media-Daten: Die Social-Media-Synchronisierung (encore run) ist auf diesem Warehouse noch nicht "
            "gelaufen."
        ),
        "missing.social_unlinked": (
            "Mit diesem Künstler sind noch keine Social-Media-Konten verknüpft: Verknüpfen Sie sie "
            "(encore run findet sie über MusicBrainz, oder legen Sie eine manuelle Zuordnung an) "
            "und starten Sie encore run erneut."
        ),
        "missing.social_hidden": "Die verknüpften Plattformen verbergen die Followerzahlen dieser Konten.",
        "missing.audio": (
            "Keine Audioanalyse für diesen Künstler: Spotify hat die Audio-Features für neue Apps 2024 "
            "abgeschaltet, daher misst encore die eigenen Dateien des Künstlers. Legen Sie die Master "
            "(WAV, FLAC, Ogg oder MP3, mit ISRC oder Titel in den Tags) in den Audio-Ordner und starten "
            "Sie encore run."
        ),
        "missing.playlists": (
            "Keine Änderungen an den Playlists des Künstlers in diesem Zeitraum (encore sieht nur "
            "Playlists, die dem Konto gehören oder an denen es mitarbeitet)."
        ),
        "missing.alerts_not_run": (
            "Keine Warnungen: Die Überwachung ist auf diesem Warehouse noch nicht gelaufen."
        ),
        "missing.alerts_none": "In diesem Zeitraum wurden keine Warnungen ausgelöst.",
        "missing.drafts_none": ("Noch keine Beitragsentwürfe: encore run schreibt sie aus den Fakten."),
        "missing.drafts_ungrounded": (
            "Keine geprüften Entwürfe für diesen Zeitraum: Jeder Entwurf ist an der Faktenprüfung "
            "gescheitert."
        ),
        "missing.validation": "Keine Validierungsergebnisse im Ordner dieses Laufs.",
        "quota.development": (
            "Entwicklungs-Kontingentmodus: Spotify gibt dieser App keine Followerzahlen, keine "
            "Popularität, keine Labels, keine Top-Titel des Künstlers und keine Playlists anderer, "
            "daher zeigt der Bericht nichts davon; die Streaming-Zahlen stammen stattdessen aus Ihren "
            "eigenen Spotify-for-Artists-Exporten."
        ),
        "quota.extended": (
            "Erweiterter Kontingentmodus: Follower und Popularität stammen aus der Spotify Web API."
        ),
        "quota.unknown_mode": "Kontingentmodus: {mode}.",
        "methods.period": "Zeitraum",
        "methods.period_value": "{start} bis {end}",
        "methods.quota_mode": "Kontingentmodus",
        "methods.streaming_up_to": "Streaming-Daten bis",
        "methods.social_up_to": "Social-Media-Zahlen bis",
        "methods.report_built": "Bericht erstellt",
        "methods.streaming_source": "Streaming-Quelle",
        "methods.none": "keine",
        "methods.listeners": "Hörer",
        "methods.listeners_value": ("ein Tageswert der Quelle; über den Zeitraum gemittelt, nie aufsummiert"),
        "methods.anomalies": "Anomalien",
        "methods.anomalies_value": (
            "robuste Wochentags-Basislinie und ein Isolation Forest, jeweils mit den zugrunde "
            "liegenden Fakten"
        ),
        "methods.loudness_norm": "Lautheitsnorm",
        "methods.loudness_norm_value": (
            "Spotify spielt Titel mit etwa -14 LUFS ab; lautere Master werden leiser gestellt"
        ),
        "methods.run": "Lauf",
        "methods.code_version": "Code-Version",
        "methods.sections_missing.one": (
            "{count} Abschnitt hat keine Daten für diesen Künstler; er erklärt oben, warum."
        ),
        "methods.sections_missing.other": (
            "{count} Abschnitte haben keine Daten für diesen Künstler; jeder erklärt oben, warum."
        ),
    },
}


TEXTS = {
    language: {
        **words,
        **WORDS[language],
        **FEATURED[language],
        **SONGS[language],
        **SOUND[language],
        **PAGES[language],
        **ANALYSIS[language],
    }
    for language, words in TEXTS.items()
}  # the plain words for detectors, kinds and facts (texts_words.py), featured playlists
# (texts_featured.py), where streams come from, release weeks and song pages (texts_songs.py),
# the "sounds like" map's groups and reasons (texts_sound.py), the catalog overview (texts_pages.py)
# and the track analysis page (texts_analysis.py)


def check_language(language: str) -> str:
    """``language`` if the report speaks it.

    Raises
    ------
    ValueError : an unsupported language; the message lists the supported ones.
    """
    if language not in TEXTS:
        raise ValueError(
            f"report language {language!r} is not supported; choose one of: {', '.join(LANGUAGES)}"
        )
    return language


def text(key: str, *, language: str = "en", **values: object) -> str:
    """The fixed text ``key`` in ``language``, with ``values`` filled into its placeholders.

    Raises
    ------
    ValueError : an unsupported language (see :func:`check_language`).
    KeyError : no text has that key.
    """
    table = TEXTS[check_language(language)]
    if key not in table and isinstance(values.get("count"), int):
        # a counted text: its form by the language's CLDR plural rules, the count grouped
        count = int(values["count"])  # type: ignore[call-overload]
        key = f"{key}.{plural_form(count, language=language)}"
        values = {**values, "count": format_decimal(count, locale=language)}
    template = table[key]
    return template.format(**values) if values else template


def plural_form(count: int, *, language: str) -> str:
    """``one`` or ``other``: the form a text takes for ``count`` in ``language`` (CLDR rules).

    French says "0 titre" and "1,5 titre" (category ``one``), English "0 tracks"; the languages
    the report speaks need no other forms (CLDR's ``many`` for French millions reads as ``other``).
    """
    return "one" if Locale.parse(language).plural_form(abs(count)) == "one" else "other"


def tracks_count(count: int, *, language: str = "en") -> str:
    """ "1 track", "18 tracks", "1,200 tracks" in ``language``, by the language's plural rules.

    CLDR decides the form: French says "0 titre" and "1,5 titre" (category ``one``), English
    "0 tracks"; a count is written with the language's digit grouping.
    """
    return text("tracks", language=language, count=count)


DATE_PATTERNS = {"en": "d MMM y", "fr": "d MMM y", "de": "d. MMM y"}


def long_date(day: date, *, language: str = "en") -> str:
    """A date for people in ``language``: "26 Oct 2026", "26 oct. 2026", "26. Okt. 2026"."""
    from babel.dates import format_date

    return str(format_date(day, format=DATE_PATTERNS[check_language(language)], locale=language))
