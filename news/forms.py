import functools
import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from pages.forms import AudiencePageForm
from visibility.audience import Audience


class Reach:
    """How many people a news item would be addressed to, shown on its form.
    The inbox (above news, where recipients are worked out) fills ``count``
    in its ``ready()`` with the rule it addresses news with; without it, the
    form says nothing of it."""

    def count(self, place, addressed_to="", target_schools=()):
        """``{audience: {"families": n, "staff": n}}``, empty when unknown."""
        return {}


REACH = Reach()


class PhotoRights:
    """Who may be named on a photo dropped into the news form, and whether
    the photo may be shown to an audience. The pupils app (above news) fills
    both in its ``ready()``; without it, nobody is offered and nothing is
    refused."""

    def pupils(self, place, user):
        """The pupils ``user`` may name on a photo of a news item under
        ``place`` (a queryset), or None."""
        return None

    def problems(self, title, pupils, identifiable, audience, user):
        """Why the photo may not be shown to ``audience`` (a list)."""
        return []


PHOTO_RIGHTS = PhotoRights()


# How the place of a news item is named in a sentence.


def scope_kind(place):
    return getattr(place, "scope_kind", None) if place is not None else None


def school_of(place):
    """The school a class or a school page belongs to."""
    if scope_kind(place) == "class":
        return place.get_parent().specific
    return place


def of_place(place):
    """« du CP de Mme Moreau », « de l'École élémentaire Jules-Ferry »."""
    kind = scope_kind(place)
    if kind == "class":
        return pgettext("of a class", "of %(title)s") % {"title": place.title}
    if kind == "school":
        if place.title[:1].lower() in "aeiouyéèêàâîôûh":
            return pgettext("of a school starting with a vowel", "of %(title)s") % {
                "title": place.title
            }
        return pgettext("of a school", "of %(title)s") % {"title": place.title}
    return _("of the district")


def audience_sentence(place, audience):
    """The audience of a news item under ``place``, said as a sentence."""
    kind = scope_kind(place)
    if audience == Audience.PUBLIC:
        return _("Everyone (public)")
    if kind is None:
        return {
            Audience.COMMUNITY: _("The families and staff of the whole district"),
            Audience.STAFF: _("The teachers and directors of the whole district"),
            Audience.DIRECTORS: _("The school directors of the district"),
        }[audience]
    if audience == Audience.COMMUNITY:
        return _("The families and staff %(of_place)s") % {"of_place": of_place(place)}
    if audience == Audience.STAFF:
        return _("The staff %(of_place)s") % {"of_place": of_place(place)}
    return _("The management %(of_school)s") % {"of_school": of_place(school_of(place))}


def reach_text(reach):
    """« 3 familles et 2 personnes de l'équipe », or « personne »."""
    families, staff = reach["families"], reach["staff"]
    if not families and not staff:
        return _("nobody for now")
    parts = []
    if families:
        parts.append(
            ngettext("%(count)s family", "%(count)s families", families)
            % {"count": families}
        )
    if staff:
        parts.append(
            ngettext("%(count)s staff member", "%(count)s staff members", staff)
            % {"count": staff}
        )
    return _(" and ").join(parts)


def first_sentence(body, limit=400):
    """The first sentence of the text of ``body`` (a StreamValue), for an
    introduction left empty."""
    texts = []
    for block in body or []:
        if block.block_type == "paragraph":
            texts.append(strip_tags(str(block.value.source)))
    text = " ".join(" ".join(texts).split())
    match = re.match(r"(.+?[.!?…])(\s|$)", text)
    sentence = match.group(1) if match else text
    return Truncator(sentence).chars(limit)


class NewsPageForm(AudiencePageForm):
    """The news form, shaped for the task: the audience said as a sentence
    naming the place with how many people it reaches, a photo dropped into
    the form itself (with who can be recognised on it), and an introduction
    taken from the text when left empty."""

    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        help_text=gettext_lazy(
            "A JPEG, PNG or WebP picture. It is added after the text, without "
            "its location or camera data, and kept in the class's pictures."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )
    photo_pupils = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Can pupils be recognised on it? Which ones?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Tick every pupil who can be recognised: the photo is shown only "
            "if their families consent."
        ),
    )
    photo_nobody = forms.BooleanField(
        label=gettext_lazy(
            "Nobody can be recognised on it (a drawing, a landscape, children "
            "seen from behind…)"
        ),
        required=False,
    )
    photo_alt = forms.CharField(
        label=gettext_lazy("What the photo shows"),
        required=False,
        max_length=255,
        help_text=gettext_lazy(
            "For people who cannot see it. Leave empty to use the title."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place = self.place.specific if self.place is not None else None
        self.place = place
        if "photo_pupils" in self.fields:
            pupils = PHOTO_RIGHTS.pupils(place, self.for_user)
            field = self.fields["photo_pupils"]
            if pupils is None or (not self.is_bound and not pupils.exists()):
                del self.fields["photo_pupils"]
            else:
                field.queryset = pupils
        if self.instance._state.adding and "body" in self.fields:
            # The text opens on an empty paragraph, ready to type in.
            if not self.initial.get("body"):
                self.initial["body"] = self.fields["body"].block.to_python(
                    [{"type": "paragraph", "value": "", "id": str(uuid.uuid4())}]
                )
        if "audience" in self.fields and place is not None:
            self.say_audience(place)

    @property
    def show_schedule_publishing_toggle(self):
        # Wagtail asks the form class; the schedule is the team's only.
        return "go_live_at" in self.fields

    def say_audience(self, place):
        """Each audience as a sentence naming the place, with its reach; a
        warning when the chosen one reaches nobody. The reach is counted
        only if the form is shown (not when it is sent and valid)."""
        field = self.fields["audience"]
        targets = ()
        if not self.instance._state.adding:
            targets = self.instance.target_schools.all()
        addressed_to = getattr(self.instance, "addressed_to", "")
        reaches = functools.cache(
            lambda: REACH.count(place, addressed_to, list(targets))
        )

        def label(value):
            sentence = audience_sentence(place, value)
            reach = reaches().get(value)
            if reach is None:
                return sentence
            sentence = _("%(audience)s — %(reach)s") % {
                "audience": sentence,
                "reach": reach_text(reach),
            }
            warning = self.reach_warning(place, reach, value)
            return f"{sentence}. ⚠ {warning}" if warning else sentence

        # Labels are read when the form is shown, never when it is sent.
        choices = [
            (value, lazy(label, str)(value)) for value, _label in Audience.choices
        ]
        field.choices = choices
        field.widget = forms.RadioSelect(choices=choices)
        if field.disabled:
            field.widget.attrs["disabled"] = True

    @staticmethod
    def reach_warning(place, reach, audience):
        if reach is None:
            return ""
        if not reach["families"] and not reach["staff"]:
            return _("Nobody will be told of this news item for now.")
        if (
            not reach["families"]
            and audience in (Audience.PUBLIC, Audience.COMMUNITY)
            and scope_kind(place) == "class"
        ):
            return _(
                "This class has no family account yet: no family will be told "
                "of this news item."
            )
        return ""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("This photo is too heavy (%(size)s): the limit is %(limit)s.")
                % {
                    "size": filesizeformat(photo.size),
                    "limit": filesizeformat(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
                }
            )
        from mediafiles.validation import clean_image

        return clean_image(photo)

    def clean(self):
        cleaned = super().clean()
        self.check_targets(cleaned)
        if not cleaned.get("intro") and "intro" in self.fields:
            cleaned["intro"] = first_sentence(cleaned.get("body"))
        self.check_photo(cleaned)
        return cleaned

    def check_photo(self, cleaned):
        pupils = list(cleaned.get("photo_pupils") or [])
        nobody = cleaned.get("photo_nobody")
        if pupils and nobody:
            self.add_error(
                "photo_nobody",
                _("You ticked pupils who can be recognised: untick this box."),
            )
            return
        photo = cleaned.get("photo")
        if not photo:
            if pupils or nobody:
                self.add_error("photo", _("Choose the photo these answers are for."))
            return
        if self.collection() is None:
            self.add_error(
                "photo",
                _("Photos cannot be added here: add it to a class or school news."),
            )
            return
        audience = self.publishing_audience(cleaned)
        if audience is None:
            return
        title = cleaned.get("title") or photo.name
        for problem in PHOTO_RIGHTS.problems(
            title, pupils, not nobody, audience, self.for_user
        ):
            self.add_error(None, capfirst(problem) + ".")

    def check_targets(self, cleaned):
        from news.models import NewsIndexPage

        if (
            cleaned.get("target_schools")
            and self.place is not None
            and not isinstance(self.place.specific, NewsIndexPage)
        ):
            self.add_error(
                "target_schools",
                _("Only district news may be addressed to chosen schools."),
            )
        elif cleaned.get("target_schools") and cleaned.get("audience") == "public":
            self.add_error(
                "audience",
                _(
                    "A news item for chosen schools cannot be public: choose "
                    "who may read it in those schools."
                ),
            )
        elif (
            cleaned.get("addressed_to") in ("director", "teacher")
            and cleaned.get("audience") == "public"
            and self.place is not None
            and isinstance(self.place.specific, NewsIndexPage)
        ):
            self.add_error(
                "audience",
                _(
                    "A district news item for directors or teachers cannot be "
                    "public: choose who may read it."
                ),
            )

    def collection(self):
        """Where a photo of this news item is kept: its class's collection,
        its school's, or the root one for district news."""
        from wagtail.models import Collection

        from accounts.models import ScopeGroup

        kind = scope_kind(self.place)
        if kind is None:
            return Collection.get_first_root_node()
        role = (
            ScopeGroup.Role.TEACHERS if kind == "class" else ScopeGroup.Role.DIRECTORS
        )
        scope = ScopeGroup.objects.filter(page=self.place, role=role).first()
        return scope.collection if scope else None

    def save(self, commit=True):
        if "slug" not in self.fields and not self.instance.slug:
            self.instance.slug = self.free_slug(self.cleaned_data.get("title", ""))
        photo = self.cleaned_data.get("photo")
        if photo:
            self.add_photo(photo)
        return super().save(commit=commit)

    def free_slug(self, title):
        """The address of a new news item, made from its title: plain
        letters, unique among its place's pages."""
        base = slugify(title)[:80].strip("-") or "actualite"
        taken = set()
        if self.place is not None:
            taken = set(
                self.place.get_children()
                .filter(slug__startswith=base)
                .values_list("slug", flat=True)
            )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def add_photo(self, photo):
        """Keep the photo as an image of the place's collection, with who
        can be recognised on it, and add it after the text."""
        from wagtail.images import get_image_model

        title = self.cleaned_data.get("title") or photo.name
        image = get_image_model()(
            title=title,
            file=photo,
            collection=self.collection(),
            uploaded_by_user=self.for_user,
            has_identifiable_people=not self.cleaned_data.get("photo_nobody"),
        )
        image.save()
        pupils = self.cleaned_data.get("photo_pupils")
        if pupils:
            image.pupils.set(pupils)
        self.instance.body.append(
            (
                "image",
                {
                    "image": image,
                    "alt_text": self.cleaned_data.get("photo_alt") or title,
                    "caption": "",
                },
            )
        )
        self.photo_image = image
