"""Number and hash the change-record entries written before the chains existed,
in the order they were written (time, then id), one chain per agency and one for
the installation (core/chain.py)."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from accdesk.core import chain

    ChangeRecord = apps.get_model("core", "ChangeRecord")
    ChangeChain = apps.get_model("core", "ChangeChain")
    if not ChangeRecord.objects.exists():
        return
    key = chain.chain_key()
    heads: dict[int, tuple[int, str]] = {}
    rows = ChangeRecord.objects.filter(sequence__isnull=True).order_by("at", "id")
    for record in rows.iterator(chunk_size=2000):
        chain_id = chain.chain_of(record.agency_id)
        sequence, previous = heads.get(chain_id, (0, chain.GENESIS))
        record.sequence = sequence + 1
        record.hash = chain.entry_hash(key, previous, record)
        ChangeRecord.objects.filter(pk=record.pk).update(
            sequence=record.sequence, hash=record.hash
        )
        heads[chain_id] = (record.sequence, record.hash)
    for chain_id, (sequence, value) in heads.items():
        ChangeChain.objects.update_or_create(
            chain=chain_id, defaults={"sequence": sequence, "hash": value}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_change_record_hash_chain")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
