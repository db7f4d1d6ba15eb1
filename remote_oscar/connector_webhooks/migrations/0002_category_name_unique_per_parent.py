"""One category of a name per parent (the root included).

oscar-api creates the categories a new product names (``All > Kitchen``)
with ``create_from_sequence``, which looks each one up by name and creates
it when missing: two products created at once with a new category created
it twice, and every later product naming it failed (500, "more than one
categories with name All"). With this index, the second insert waits for
the first transaction and fails once (a 500 the connector retries); the
retry finds the category. A treebeard path is its parent's path plus 4
characters.
"""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('connector_webhooks', '0001_initial'),
        ('catalogue', '0027_attributeoption_code_attributeoptiongroup_code_and_more'),
    ]

    operations = [
        migrations.RunSQL(
            'CREATE UNIQUE INDEX connector_category_name_per_parent '
            'ON catalogue_category (substr(path, 1, length(path) - 4), name)',
            'DROP INDEX connector_category_name_per_parent'),
    ]
