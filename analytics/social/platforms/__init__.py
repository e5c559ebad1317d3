"""One module per platform; each registers its connector with :func:`analytics.social.base.register`."""
