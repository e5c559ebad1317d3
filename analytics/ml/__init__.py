"""Models over encore data: similarity, clustering and anomaly detection (scikit-learn)."""
