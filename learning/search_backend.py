"""Wagtail's database search backend, made safe for any query on SQLite.

On SQLite, Wagtail's full-text backend wraps each search term in double quotes for FTS5
without doubling a double quote inside the term, so a search for ``"`` or ``a"b`` (in the
public catalogue, the material search or the admin's page search) ends in "unterminated
string" and a 500 page. Here a quote inside a term is doubled, which is FTS5's own escape:
the term is then searched as written. PostgreSQL and the other databases use Wagtail's
backend unchanged. Set as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]``.
"""

from functools import cache

from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.query import Phrase, PlainText


def _escaped(query):
    if isinstance(query, PlainText):
        return PlainText(
            query.query_string.replace('"', '""'), operator=query.operator, boost=query.boost
        )
    if isinstance(query, Phrase):
        return Phrase(query.query_string.replace('"', '""'))
    return query


@cache
def _quote_safe_sqlite_backend():
    # Imported only on SQLite: the module's models exist only there.
    from wagtail.search.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )

    class QuoteSafeQueryCompiler(SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_escaped(query), config=config)

    class QuoteSafeAutocompleteCompiler(SQLiteAutocompleteQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_escaped(query), config=config)

    class QuoteSafeSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = QuoteSafeQueryCompiler
        autocomplete_query_compiler_class = QuoteSafeAutocompleteCompiler

    return SQLiteSearchBackend, QuoteSafeSQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 (Wagtail looks this name up)
    backend = database_backend(params)
    if backend.__class__.__name__ == "SQLiteSearchBackend":
        original, quote_safe = _quote_safe_sqlite_backend()
        if type(backend) is original:
            return quote_safe(params)
    return backend
