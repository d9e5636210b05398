"""Writing generated pages in bulk, a batch at a time.

Pages are not added one ``add_child`` at a time: their tree paths are
computed here (after the parent's last child), the ``wagtailcore_page`` rows
are bulk-created, then the page type's own rows, its tags and what
``ReferenceIndex`` records when such a page is saved. The tree stays valid
after every batch (``Page.find_problems`` finds nothing).
"""

import multiprocessing

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import F

from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backend

from taggit.models import Tag


def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def capitalise(text):
    return text[:1].upper() + text[1:]


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model, rows):
    """Insert the rows of ``model``'s own table (dicts by attribute name).

    Django's ``bulk_create`` refuses a multi-table child such as a page type;
    its own table is written here with one ``executemany``, the values
    prepared by each field as ``save`` would."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    # Table and column names come from the model, never from input.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    params = [
        [field.get_db_prep_save(row[field.attname], connection) for field in fields]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def with_keys(objects, model, field):
    """Objects just bulk-created, with their keys even on databases that do
    not return them."""
    if any(item.pk is None for item in objects):
        keys = dict(
            model.objects.filter(
                **{f"{field}__in": [getattr(item, field) for item in objects]}
            ).values_list(field, "pk")
        )
        for item in objects:
            item.pk = keys[getattr(item, field)]
    return objects


def last_step(parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) if last else 0


def tag_pool(names):
    """Tag keys by name: existing tags are reused (names are
    case-insensitive), missing ones created with unique slugs."""
    existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
    slugs = {tag.slug for tag in existing.values()}
    missing = []
    for name in dict.fromkeys(names):
        if name.lower() in existing:
            continue
        tag = Tag(name=name)
        slug, number = tag.slugify(name), 1
        while slug in slugs:
            slug, number = tag.slugify(name, number), number + 1
        tag.slug = slug
        slugs.add(slug)
        missing.append(tag)
        existing[name.lower()] = tag
    with_keys(Tag.objects.bulk_create(missing), Tag, "slug")
    return {name: existing[name.lower()].pk for name in names}


class PageWriter:
    """Adds pages of one type as the last children of their parent.

    Each spec is a dict with the page's ``title``, ``slug_base``,
    ``translation_key``, ``first_published_at`` and ``last_published_at``,
    the type's own fields by attribute name and, optionally, ``tag_names``.
    """

    def __init__(self, model, tag_through=None, tags=None):
        self.model = model
        self.tag_through = tag_through
        self.tags = tags or {}
        self.types = {
            item: ContentType.objects.get_for_model(item, for_concrete_model=False)
            for item in (Page, model, Tag)
        }
        self.own_fields = [
            field.attname
            for field in model._meta.local_concrete_fields
            if field.attname != "page_ptr_id"
        ]

    def add(self, parent, specs):
        """Write ``specs`` under ``parent`` in one transaction; returns the
        new pages (plain ``Page`` objects with their keys)."""
        depth = parent.depth + 1
        with transaction.atomic():
            # Other pages may have been added to the parent meanwhile.
            Page.objects.select_for_update().filter(pk=parent.pk).first()
            step = last_step(parent)
            taken = set(
                Page.objects.filter(
                    path__startswith=parent.path, depth=depth
                ).values_list("slug", flat=True)
            )
            pages = []
            for spec in specs:
                step += 1
                slug = f"{spec['slug_base']}-{step}"
                while slug in taken:
                    slug += "-bis"
                taken.add(slug)
                pages.append(
                    Page(
                        path=Page._get_path(parent.path, depth, step),
                        depth=depth,
                        numchild=0,
                        title=spec["title"],
                        draft_title=spec["title"],
                        slug=slug,
                        url_path=f"{parent.url_path}{slug}/",
                        content_type_id=self.types[self.model].pk,
                        locale_id=parent.locale_id,
                        translation_key=spec["translation_key"],
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=spec["first_published_at"],
                        last_published_at=spec["last_published_at"],
                        show_in_menus=False,
                    )
                )
            with_keys(Page.objects.bulk_create(pages), Page, "path")
            insert_rows(
                self.model,
                [
                    {
                        "page_ptr_id": page.pk,
                        **{name: spec[name] for name in self.own_fields},
                    }
                    for page, spec in zip(pages, specs, strict=True)
                ],
            )
            self.write_tags(pages, specs)
            Page.objects.filter(pk=parent.pk).update(
                numchild=F("numchild") + len(pages)
            )
        return pages

    def write_tags(self, pages, specs):
        if self.tag_through is None:
            return
        tagged = self.tag_through.objects.bulk_create(
            [
                self.tag_through(content_object_id=page.pk, tag_id=self.tags[name])
                for page, spec in zip(pages, specs, strict=True)
                for name in spec.get("tag_names", ())
            ]
        )
        if any(item.pk is None for item in tagged):
            tagged = list(
                self.tag_through.objects.filter(
                    content_object_id__in=[page.pk for page in pages]
                )
            )
        self.write_references(
            [
                (
                    item.content_object_id,
                    Tag,
                    item.tag_id,
                    "tagged_items.item.tag",
                    f"tagged_items.{item.pk}.tag",
                )
                for item in tagged
            ]
        )

    def write_references(self, references):
        """What ``ReferenceIndex`` records when a page is saved, from
        ``(page key, target model, target key, model path, content path)``
        tuples. Files are downloadable by whoever may see a page that uses
        them, read from this index."""
        types = self.types
        ReferenceIndex.objects.bulk_create(
            [
                ReferenceIndex(
                    content_type_id=types[self.model].pk,
                    base_content_type_id=types[Page].pk,
                    object_id=str(page_id),
                    to_content_type_id=ContentType.objects.get_for_model(target).pk,
                    to_object_id=str(target_id),
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(
                        content_path
                    ),
                )
                for page_id, target, target_id, model_path, content_path in references
            ],
            batch_size=5000,
        )


def index_chunk(task):
    label, keys = task
    model = apps.get_model(label)
    get_search_backend().add_bulk(
        model, list(model.get_indexed_objects().filter(pk__in=keys))
    )
    return len(keys)


def index_for_search(model, keys, batch_size, progress=None, processes=2):
    """Index the pages of ``model`` with these keys, a chunk at a time, in
    ``processes`` processes where the database allows it (it is the slowest
    step: most of its time goes to preparing each page's search text)."""
    tasks = [(model._meta.label, chunk) for chunk in chunks(keys, batch_size)]
    parallel = (
        processes > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    if parallel:
        # Each process opens its own connection.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            done = 0
            for count in pool.imap_unordered(index_chunk, tasks):
                done += count
                if progress:
                    progress(done)
        return
    done = 0
    for task in tasks:
        done += index_chunk(task)
        if progress:
            progress(done)


def analyse(models):
    """Refresh the planner's statistics of the tables just filled, as
    autovacuum would a little later: measurements taken right after a bulk
    load otherwise see plans made for a small district."""
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table) for model in models
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Inside a transaction (tests) VACUUM cannot run.
            cursor.execute(f"ANALYZE {tables}")
        elif connection.vendor == "postgresql":
            # Also marks the pages all-visible, for index-only scans.
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
