from .server import SocialSandbox, build_app
from .state import DemoAccount, SandboxState, demo_accounts

__all__ = ["DemoAccount", "SandboxState", "SocialSandbox", "build_app", "demo_accounts"]
