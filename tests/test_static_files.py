"""`collectstatic` with the production storage (what `make serve` and every deploy run) finishes."""

from django.core.management import call_command


def test_collectstatic_with_the_manifest_storage_finishes(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "reports" / "vendor").glob("chart-4.6.1.umd.min.*.js"))
    assert list((tmp_path / "static" / "imports").glob("progress.*.js"))
