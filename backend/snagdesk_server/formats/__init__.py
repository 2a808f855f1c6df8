"""Snagdesk's own date formats where Django's locale formats are not what it wants
(``FORMAT_MODULE_PATH``); every other language uses Django's formats for its locale."""
