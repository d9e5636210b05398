from wagtail import hooks

from mediafiles.access import may_see
from visibility.refusals import refuse


@hooks.register("before_serve_document")
def check_document_audience(document, request):
    """A document may be downloaded by whoever may see a page that uses it;
    one that no page uses, only by the people who manage its collection."""
    if may_see(request.user, document):
        return None
    return refuse(request)
