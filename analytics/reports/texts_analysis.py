"""The track analysis page's fixed texts in English, French and German.

Merged into :data:`analytics.reports.texts.TEXTS`; :mod:`analytics.reports.tracks` and
``notebooks/track_analysis.py`` read them in the page's ``language``. The technical names under
"Methods and limits" stay as they are in every language.
"""

from __future__ import annotations

from collections.abc import Mapping

_EN = {
    "analysis.no_audio": (
        "No audio analysis for this artist yet. Spotify removed audio features for new apps in 2024, so "
        "encore measures the artist's own files: put the masters (WAV, FLAC, Ogg or MP3, tagged with "
        "their ISRC or title) in the audio folder (ENCORE_AUDIO_DIR): the next run measures them."
    ),
    "analysis.toc.summary": "Summary",
    "analysis.toc.features": "Features",
    "analysis.toc.key-tempo": "Key and tempo",
    "analysis.toc.loudness": "Loudness",
    "analysis.toc.sounds-like": "Sounds like",
    "analysis.toc.groups": "Groups",
    "analysis.toc.methods": "Methods",
    "analysis.heading.summary": "Summary",
    "analysis.heading.features": "Track features",
    "analysis.heading.key-tempo": "Key and tempo",
    "analysis.heading.loudness": "Loudness against streaming norms",
    "analysis.heading.sounds-like": "Sounds like",
    "analysis.heading.groups": "Groups and outliers",
    "analysis.card.analysed": "Recordings analysed",
    "analysis.card.analysed_hint": "of {recordings} in the catalog",
    "analysis.card.tempo": "Median tempo",
    "analysis.card.loudness": "Median loudness",
    "analysis.card.louder": "Louder than {norm} LUFS",
    "analysis.card.louder_hint": "turned down by Spotify's normalisation",
    "analysis.catalog_differs": (
        "The catalog lists {catalog_tracks} tracks for {recordings}: the same recording can appear "
        "on several releases, and is measured and shown once."
    ),
    "analysis.versions": "{versions} of the catalog's tracks are versions of the {analysed} recordings analysed.",
    "analysis.column.name": "track",
    "analysis.column.duration_s": "length analysed",
    "analysis.column.tempo_bpm": "tempo (BPM)",
    "analysis.column.tempo_confidence": "tempo conf.",
    "analysis.column.key": "key",
    "analysis.column.mode": "mode",
    "analysis.column.key_confidence": "key conf.",
    "analysis.column.loudness_lufs": "loudness (LUFS)",
    "analysis.column.true_peak_dbtp": "true peak (dBTP)",
    "analysis.column.dynamic_range_db": "dynamic range (dB)",
    "analysis.column.energy": "energy",
    "analysis.column.beat_regularity": "beat regularity",
    "analysis.column.spectral_centroid_hz": "brightness (Hz)",
    "analysis.features_caption": "Measured from the artist's own files; confidences run from 0% (unsure) to 100%.",
    "analysis.no_tempo": "No tempo was measured for these recordings.",
    "analysis.keys_title": "Keys, major and minor",
    "analysis.unsure_keys.one": "{count} recording has no clear tonal centre (key confidence under 0.3).",
    "analysis.unsure_keys.other": "{count} recordings have no clear tonal centre (key confidence under 0.3).",
    "analysis.no_key": "No key was measured for these recordings.",
    "analysis.no_loudness": "No loudness was measured for these recordings.",
    "analysis.loudness_title": "Integrated loudness against {norm} LUFS",
    "analysis.loudness_note": (
        "Spotify plays tracks at about {norm} LUFS: a louder master is turned down by the difference "
        "(its loudness buys nothing on Spotify, its lost dynamics stay lost); a quieter one is turned "
        "up only as far as its peaks allow."
    ),
    "analysis.map_needs_three": "The similarity map needs at least three analysed recordings.",
    "analysis.map_title": "Sounds like: close points sound alike",
    "analysis.column.sounds": "sounds",
    "analysis.column.size": "size",
    "analysis.column.tracks": "tracks",
    "analysis.column.description": "description",
    "analysis.groups_caption": "Recordings that sound alike, grouped; each group is described by what they share.",
    "analysis.no_outliers": "No recording stands far from the rest on loudness, peaks, tempo or brightness.",
    "analysis.outliers_caption": "Recordings far from the rest of the catalog (see Methods for how far).",
    "analysis.outlier.above": "{feature} {value}, well above the catalog's usual {median}",
    "analysis.outlier.below": "{feature} {value}, well below the catalog's usual {median}",
    "analysis.feature.loudness_lufs": "loudness",
    "analysis.feature.true_peak_dbtp": "loudest peak",
    "analysis.feature.dynamic_range_db": "dynamic range",
    "analysis.feature.loudness_range_lu": "loudness range",
    "analysis.feature.tempo_bpm": "tempo",
    "analysis.feature.spectral_centroid_hz": "brightness",
    "analysis.feature.energy": "energy",
    "analysis.feature.duration_s": "length analysed",
    "analysis.methods.feature_set": "feature set",
    "analysis.methods.similarity": "similarity and groups",
    "analysis.methods.similarity_value": "Seeded k-means in the standardised audio space ({version})",
    "analysis.methods.features": "features measured",
    "analysis.methods.features_value": "{number} per recording (docs/audio-features.md)",
    "analysis.methods.loudness": "loudness",
    "analysis.methods.loudness_value": "ITU-R BS.1770-4 integrated loudness; true peak 4x oversampled",
    "analysis.methods.tempo": "tempo",
    "analysis.methods.tempo_value": "onset autocorrelation with metrical support; may be an octave off on sparse material",
    "analysis.methods.key": "key",
    "analysis.methods.key_value": "chroma against Albrecht-Shanahan profiles; major and minor only",
    "analysis.methods.outliers": "outliers",
    "analysis.methods.outliers_value": "robust z-score of 3.5 or more from the catalog median on {features}",
    "analysis.methods.run": "run",
    "analysis.validation_caption": "Data quality of the run's datasets (Great Expectations).",
}
_FR = {
    "analysis.no_audio": (
        "Aucune analyse audio pour cet artiste pour l'instant. Spotify a retiré les caractéristiques audio "
        "aux nouvelles applications en 2024 : encore mesure donc les fichiers de l'artiste. Placez les "
        "masters (WAV, FLAC, Ogg ou MP3, étiquetés avec leur ISRC ou leur titre) dans le dossier audio "
        "(ENCORE_AUDIO_DIR) : la prochaine exécution les mesure."
    ),
    "analysis.toc.summary": "Résumé",
    "analysis.toc.features": "Mesures",
    "analysis.toc.key-tempo": "Tonalité et tempo",
    "analysis.toc.loudness": "Volume",
    "analysis.toc.sounds-like": "Ressemblances",
    "analysis.toc.groups": "Groupes",
    "analysis.toc.methods": "Méthodes",
    "analysis.heading.summary": "Résumé",
    "analysis.heading.features": "Mesures par titre",
    "analysis.heading.key-tempo": "Tonalité et tempo",
    "analysis.heading.loudness": "Volume et normes du streaming",
    "analysis.heading.sounds-like": "Ressemblances",
    "analysis.heading.groups": "Groupes et titres à part",
    "analysis.card.analysed": "Enregistrements analysés",
    "analysis.card.analysed_hint": "sur {recordings} au catalogue",
    "analysis.card.tempo": "Tempo médian",
    "analysis.card.loudness": "Volume médian",
    "analysis.card.louder": "Plus fort que {norm} LUFS",
    "analysis.card.louder_hint": "baissé par la normalisation de Spotify",
    "analysis.catalog_differs": (
        "Le catalogue compte {catalog_tracks} titres pour {recordings} : un même enregistrement peut "
        "paraître sur plusieurs sorties, il est mesuré et montré une seule fois."
    ),
    "analysis.versions": (
        "{versions} titres du catalogue sont des versions des {analysed} enregistrements analysés."
    ),
    "analysis.column.name": "titre",
    "analysis.column.duration_s": "durée analysée",
    "analysis.column.tempo_bpm": "tempo (BPM)",
    "analysis.column.tempo_confidence": "fiabilité du tempo",
    "analysis.column.key": "tonalité",
    "analysis.column.mode": "mode",
    "analysis.column.key_confidence": "fiabilité de la tonalité",
    "analysis.column.loudness_lufs": "volume (LUFS)",
    "analysis.column.true_peak_dbtp": "crête réelle (dBTP)",
    "analysis.column.dynamic_range_db": "dynamique (dB)",
    "analysis.column.energy": "énergie",
    "analysis.column.beat_regularity": "régularité du rythme",
    "analysis.column.spectral_centroid_hz": "brillance (Hz)",
    "analysis.features_caption": (
        "Mesuré sur les fichiers de l'artiste ; la fiabilité va de 0 % (incertain) à 100 %."
    ),
    "analysis.no_tempo": "Aucun tempo n'a été mesuré pour ces enregistrements.",
    "analysis.keys_title": "Tonalités, majeures et mineures",
    "analysis.unsure_keys.one": "{count} enregistrement n'a pas de centre tonal net (fiabilité de la tonalité sous 0,3).",
    "analysis.unsure_keys.other": "{count} enregistrements n'ont pas de centre tonal net (fiabilité de la tonalité sous 0,3).",
    "analysis.no_key": "Aucune tonalité n'a été mesurée pour ces enregistrements.",
    "analysis.no_loudness": "Aucun volume n'a été mesuré pour ces enregistrements.",
    "analysis.loudness_title": "Volume intégré face à {norm} LUFS",
    "analysis.loudness_note": (
        "Spotify joue les titres à environ {norm} LUFS : un master plus fort est baissé de la différence "
        "(son volume ne rapporte rien sur Spotify, sa dynamique perdue reste perdue) ; un master plus "
        "doux n'est monté que dans la limite de ses crêtes."
    ),
    "analysis.map_needs_three": "La carte des ressemblances demande au moins trois enregistrements analysés.",
    "analysis.map_title": "Ressemblances : les points proches sonnent pareil",
    "analysis.column.sounds": "son",
    "analysis.column.size": "taille",
    "analysis.column.tracks": "titres",
    "analysis.column.description": "description",
    "analysis.groups_caption": (
        "Les enregistrements qui sonnent pareil, regroupés ; chaque groupe est décrit par ce qu'ils partagent."
    ),
    "analysis.no_outliers": (
        "Aucun enregistrement ne s'écarte nettement des autres par le volume, les crêtes, le tempo ou la brillance."
    ),
    "analysis.outliers_caption": "Enregistrements éloignés du reste du catalogue (voir Méthodes pour l'écart).",
    "analysis.outlier.above": "{feature} {value}, bien au-dessus de la valeur habituelle du catalogue, {median}",
    "analysis.outlier.below": "{feature} {value}, bien en dessous de la valeur habituelle du catalogue, {median}",
    "analysis.feature.loudness_lufs": "volume",
    "analysis.feature.true_peak_dbtp": "crête la plus forte",
    "analysis.feature.dynamic_range_db": "dynamique",
    "analysis.feature.loudness_range_lu": "écart de volume",
    "analysis.feature.tempo_bpm": "tempo",
    "analysis.feature.spectral_centroid_hz": "brillance",
    "analysis.feature.energy": "énergie",
    "analysis.feature.duration_s": "durée analysée",
    "analysis.methods.feature_set": "jeu de mesures",
    "analysis.methods.similarity": "ressemblances et groupes",
    "analysis.methods.similarity_value": "k-means à graine fixe dans l'espace audio standardisé ({version})",
    "analysis.methods.features": "mesures",
    "analysis.methods.features_value": "{number} par enregistrement (docs/audio-features.md)",
    "analysis.methods.loudness": "volume",
    "analysis.methods.loudness_value": "volume intégré ITU-R BS.1770-4 ; crête réelle suréchantillonnée 4x",
    "analysis.methods.tempo": "tempo",
    "analysis.methods.tempo_value": (
        "autocorrélation des attaques avec appui métrique ; peut se tromper d'une octave sur une matière clairsemée"
    ),
    "analysis.methods.key": "tonalité",
    "analysis.methods.key_value": "chroma comparé aux profils d'Albrecht-Shanahan ; majeur et mineur seulement",
    "analysis.methods.outliers": "titres à part",
    "analysis.methods.outliers_value": "z-score robuste de 3,5 ou plus par rapport à la médiane du catalogue, sur {features}",
    "analysis.methods.run": "exécution",
    "analysis.validation_caption": "Qualité des données des jeux de l'exécution (Great Expectations).",
}
_DE = {
    "analysis.no_audio": (
        "Noch keine Audioanalyse für diesen Künstler. Spotify hat neuen Apps 2024 die Audio-Merkmale "
        "entzogen, daher misst encore die eigenen Dateien des Künstlers: Lege die Master (WAV, FLAC, Ogg "
        "oder MP3, mit ISRC oder Titel getaggt) in den Audio-Ordner (ENCORE_AUDIO_DIR): Der nächste Lauf misst sie."
    ),
    "analysis.toc.summary": "Überblick",
    "analysis.toc.features": "Merkmale",
    "analysis.toc.key-tempo": "Tonart und Tempo",
    "analysis.toc.loudness": "Lautheit",
    "analysis.toc.sounds-like": "Klangverwandtschaft",
    "analysis.toc.groups": "Gruppen",
    "analysis.toc.methods": "Methoden",
    "analysis.heading.summary": "Überblick",
    "analysis.heading.features": "Merkmale der Titel",
    "analysis.heading.key-tempo": "Tonart und Tempo",
    "analysis.heading.loudness": "Lautheit und Streaming-Normen",
    "analysis.heading.sounds-like": "Klangverwandtschaft",
    "analysis.heading.groups": "Gruppen und Ausreißer",
    "analysis.card.analysed": "Analysierte Aufnahmen",
    "analysis.card.analysed_hint": "von {recordings} im Katalog",
    "analysis.card.tempo": "Median-Tempo",
    "analysis.card.loudness": "Median-Lautheit",
    "analysis.card.louder": "Lauter als {norm} LUFS",
    "analysis.card.louder_hint": "von Spotifys Normalisierung leiser gestellt",
    "analysis.catalog_differs": (
        "Der Katalog führt {catalog_tracks} Titel für {recordings}: Dieselbe Aufnahme kann auf mehreren "
        "Veröffentlichungen stehen und wird nur einmal gemessen und gezeigt."
    ),
    "analysis.versions": "{versions} Titel des Katalogs sind Versionen der {analysed} analysierten Aufnahmen.",
    "analysis.column.name": "Titel",
    "analysis.column.duration_s": "analysierte Länge",
    "analysis.column.tempo_bpm": "Tempo (BPM)",
    "analysis.column.tempo_confidence": "Tempo-Sicherheit",
    "analysis.column.key": "Tonart",
    "analysis.column.mode": "Tongeschlecht",
    "analysis.column.key_confidence": "Tonart-Sicherheit",
    "analysis.column.loudness_lufs": "Lautheit (LUFS)",
    "analysis.column.true_peak_dbtp": "True Peak (dBTP)",
    "analysis.column.dynamic_range_db": "Dynamikumfang (dB)",
    "analysis.column.energy": "Energie",
    "analysis.column.beat_regularity": "Gleichmäßigkeit des Beats",
    "analysis.column.spectral_centroid_hz": "Helligkeit (Hz)",
    "analysis.features_caption": (
        "Gemessen an den eigenen Dateien des Künstlers; die Sicherheit reicht von 0 % (unsicher) bis 100 %."
    ),
    "analysis.no_tempo": "Für diese Aufnahmen wurde kein Tempo gemessen.",
    "analysis.keys_title": "Tonarten, Dur und Moll",
    "analysis.unsure_keys.one": "{count} Aufnahme hat kein klares tonales Zentrum (Tonart-Sicherheit unter 0,3).",
    "analysis.unsure_keys.other": "{count} Aufnahmen haben kein klares tonales Zentrum (Tonart-Sicherheit unter 0,3).",
    "analysis.no_key": "Für diese Aufnahmen wurde keine Tonart gemessen.",
    "analysis.no_loudness": "Für diese Aufnahmen wurde keine Lautheit gemessen.",
    "analysis.loudness_title": "Integrierte Lautheit gegenüber {norm} LUFS",
    "analysis.loudness_note": (
        "Spotify spielt Titel mit etwa {norm} LUFS ab: Ein lauterer Master wird um die Differenz leiser "
        "gestellt (seine Lautheit bringt auf Spotify nichts, seine verlorene Dynamik bleibt verloren); ein "
        "leiserer wird nur so weit angehoben, wie seine Spitzen es zulassen."
    ),
    "analysis.map_needs_three": "Die Ähnlichkeitskarte braucht mindestens drei analysierte Aufnahmen.",
    "analysis.map_title": "Klangverwandtschaft: nahe Punkte klingen ähnlich",
    "analysis.column.sounds": "Klang",
    "analysis.column.size": "Anzahl",
    "analysis.column.tracks": "Titel",
    "analysis.column.description": "Beschreibung",
    "analysis.groups_caption": (
        "Ähnlich klingende Aufnahmen, gruppiert; jede Gruppe ist durch ihre Gemeinsamkeiten beschrieben."
    ),
    "analysis.no_outliers": (
        "Keine Aufnahme weicht bei Lautheit, Spitzen, Tempo oder Helligkeit deutlich von den anderen ab."
    ),
    "analysis.outliers_caption": "Aufnahmen weit weg vom Rest des Katalogs (wie weit: siehe Methoden).",
    "analysis.outlier.above": "{feature} {value}, deutlich über dem üblichen Wert des Katalogs, {median}",
    "analysis.outlier.below": "{feature} {value}, deutlich unter dem üblichen Wert des Katalogs, {median}",
    "analysis.feature.loudness_lufs": "Lautheit",
    "analysis.feature.true_peak_dbtp": "lautester Spitzenpegel",
    "analysis.feature.dynamic_range_db": "Dynamikumfang",
    "analysis.feature.loudness_range_lu": "Lautheitsspanne",
    "analysis.feature.tempo_bpm": "Tempo",
    "analysis.feature.spectral_centroid_hz": "Helligkeit",
    "analysis.feature.energy": "Energie",
    "analysis.feature.duration_s": "analysierte Länge",
    "analysis.methods.feature_set": "Merkmalssatz",
    "analysis.methods.similarity": "Ähnlichkeit und Gruppen",
    "analysis.methods.similarity_value": "k-Means mit festem Seed im standardisierten Audioraum ({version})",
    "analysis.methods.features": "gemessene Merkmale",
    "analysis.methods.features_value": "{number} pro Aufnahme (docs/audio-features.md)",
    "analysis.methods.loudness": "Lautheit",
    "analysis.methods.loudness_value": "integrierte Lautheit nach ITU-R BS.1770-4; True Peak 4-fach überabgetastet",
    "analysis.methods.tempo": "Tempo",
    "analysis.methods.tempo_value": (
        "Autokorrelation der Einsätze mit metrischer Stütze; bei spärlichem Material evtl. um eine Oktave daneben"
    ),
    "analysis.methods.key": "Tonart",
    "analysis.methods.key_value": "Chroma gegen Albrecht-Shanahan-Profile; nur Dur und Moll",
    "analysis.methods.outliers": "Ausreißer",
    "analysis.methods.outliers_value": "robuster z-Wert von 3,5 oder mehr gegenüber dem Katalog-Median bei {features}",
    "analysis.methods.run": "Lauf",
    "analysis.validation_caption": "Datenqualität der Datensätze des Laufs (Great Expectations).",
}

ANALYSIS: Mapping[str, Mapping[str, str]] = {"en": _EN, "fr": _FR, "de": _DE}
