"""Loopback emulators of the social platforms (YouTube, Instagram, X, TikTok) and MusicBrainz."""

from analytics.sandbox.social.server import SocialSandbox, build_app
from analytics.sandbox.social.state import DemoAccount, SandboxState, demo_accounts

__all__ = ["DemoAccount", "SandboxState", "SocialSandbox", "build_app", "demo_accounts"]
