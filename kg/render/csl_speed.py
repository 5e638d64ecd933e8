"""Make citeproc-py fast on long bibliographies: memoize what it asks of a style that never changes.

citeproc-py re-runs the same XPath on the style's element tree for every item it renders (the
macro by name, the layout above an element, each term) and walks a group's children again to
learn whether it calls a variable. For the 766 works of a generated 1k-quote project that was
350,000 XPath searches (15 s of 38 s, cProfile) and 610,000 ``calls_variable`` calls (12 s). A
style is not changed once it is loaded (:func:`kg.render.references.load_style` mends it before
any rendering), so both answers depend only on the element and the expression: they are cached,
keyed by the element itself (which keeps it alive, so its identity cannot be reused).

And :class:`IndexedBibliography`: citeproc-py keeps the cited keys in a list it searches at every
registration and every cite (quadratic in the works cited).
"""

from __future__ import annotations

from citeproc import CitationStylesBibliography, model, source

_original_xpath_search = model.CitationStylesElement.xpath_search
_xpath_cache: dict = {}
_calls_variable_cache: dict = {}
_originals = {cls: cls.__dict__["calls_variable"] for cls in (model.Parent, model.Text)}


def _cached_xpath_search(element, expression):
    key = (element, expression)
    found = _xpath_cache.get(key)
    if found is None:
        found = _xpath_cache[key] = _original_xpath_search(element, expression)
    return list(found)


def _cached_calls_variable(original):
    def calls_variable(element):
        answer = _calls_variable_cache.get(element)
        if answer is None:
            answer = _calls_variable_cache[element] = original(element)
        return answer

    return calls_variable


def _cached_reference(item):
    """An item's reference, looked up once (citeproc-py goes item -> citation -> bibliography -> source each time)."""
    try:
        return item.__dict__["_reference"]
    except KeyError:
        found = item.__dict__["_reference"] = item.bibliography.source[item.key]
        return found


def forget_styles() -> None:
    """Empty the caches (a new style is loaded: the old one's elements need not be kept)."""
    _xpath_cache.clear()
    _calls_variable_cache.clear()


model.CitationStylesElement.xpath_search = _cached_xpath_search
source.CitationItem.reference = property(_cached_reference)
for _cls, _original in _originals.items():
    _cls.calls_variable = _cached_calls_variable(_original)


class _Keys(list):
    """citeproc-py's list of cited keys, with ``in`` and ``index`` by a table instead of a scan:
    it asks whether a key is known at each registration and each cite, and places each cite by its
    key's index (4,453 keys and 5,000 cites in a 10k-quote review; 22,000 keys at 100k: a scan
    per question is quadratic)."""

    def __init__(self, keys=()):
        super().__init__(keys)
        self._at = {}
        for number, key in enumerate(self):
            self._at.setdefault(key, number)

    def append(self, key):
        self._at.setdefault(key, len(self))
        super().append(key)

    def __contains__(self, key):
        return key in self._at

    def index(self, key, *args):
        if args or key not in self._at:
            return super().index(key, *args)
        return self._at[key]


class IndexedBibliography(CitationStylesBibliography):
    """citeproc-py's bibliography with its keys indexed (:class:`_Keys`): the same output."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = _Keys()

    def sort(self):
        super().sort()
        self.keys = _Keys(self.keys)
