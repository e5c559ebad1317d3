"""Loopback emulators of every external API encore talks to."""
