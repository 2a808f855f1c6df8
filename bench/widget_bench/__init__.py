"""A Django app used only by ``bench/widget_submit.py``: the Snagdesk project plus one
minimal DRF endpoint that inserts a row, the ceiling the widget API is measured against."""
