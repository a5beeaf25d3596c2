"""The story library: the publication's past stories, searchable, suggesting links and cards.

``store`` is the storage interface and the ranking's view of it, ``sqlite`` the one-file
backend, ``sources`` reads folders, articles and feeds into stories, ``suggest`` ranks stories
for an article's link placeholders and related cards. No Qt here: the dock and the command line
both build on it.
"""
