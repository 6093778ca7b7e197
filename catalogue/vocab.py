"""Every controlled vocabulary, in one place: validation, pages and the editor schema read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One allowed value, with its labels and explanations as {language: text} maps.

    A language a map lacks takes the translation of the English text from its gettext
    catalogue (i18n.text_in), so a new language needs no change here.
    """

    key: str
    labels: Mapping[str, str]
    notes: Mapping[str, str] = field(default_factory=dict)


def _terms(*rows: tuple[str, ...]) -> dict[str, Term]:
    """Rows of (key, English label, Indonesian label[, English note[, Indonesian note]])."""
    terms = {}
    for key, en, id_, *notes in rows:
        note, note_id = (*notes, "", "")[:2]
        # An Indonesian page shows the English note when no Indonesian one is written.
        terms[key] = Term(key, {"en": en, "id": id_}, {"en": note, "id": note_id or note} if note else {})
    return terms


STATUSES = _terms(
    (
        "active",
        "Active",
        "Aktif",
        "Activities were reported when the status was observed.",
        "Ada kegiatan yang dilaporkan ketika status ini diamati.",
    ),
    (
        "stalled",
        "Stalled",
        "Mandek",
        "Signed, but nothing was reported to follow.",
        "Sudah ditandatangani, tetapi tidak ada tindak lanjut yang dilaporkan.",
    ),
    (
        "exploratory",
        "Exploratory",
        "Penjajakan",
        "Being explored; nothing signed yet, or only a draft.",
        "Masih dijajaki; belum ada yang ditandatangani, atau baru rancangan.",
    ),
    (
        "ended",
        "Ended",
        "Berakhir",
        "Terminated, or completed and not renewed.",
        "Dihentikan, atau selesai dan tidak diperpanjang.",
    ),
    # Last, so existing messages listing the statuses keep their order; the honest status for a
    # tie that a source records as signed or existing, with no report of what it does.
    (
        "not-reported",
        "Not reported",
        "Tidak dilaporkan",
        "Signed; no source reports whether it is active.",
        "Sudah ditandatangani; tidak ada sumber yang melaporkan apakah masih berjalan.",
    ),
)

# What one dated observation of a tie reports, and the status it gives the tie when it is the
# newest: only a reported activity or renewal makes a tie 'active'.
OBSERVATIONS = _terms(
    (
        "signed",
        "Signed",
        "Ditandatangani",
        "A source records the signing (of an MoU, LoI or agreement).",
        "Sumber mencatat penandatanganannya (MoU, LoI, atau perjanjian).",
    ),
    (
        "mentioned",
        "Named as existing",
        "Disebut ada",
        "A source names the tie as existing, and says nothing of what it does.",
        "Sumber menyebut kerja sama ini ada, tanpa menyebut kegiatannya.",
    ),
    (
        "activity",
        "Activity",
        "Kegiatan",
        "A source reports something done under the tie.",
        "Sumber melaporkan kegiatan yang dilakukan dalam kerja sama ini.",
    ),
    (
        "renewed",
        "Renewed",
        "Diperpanjang",
        "A source reports the tie renewed or extended.",
        "Sumber melaporkan kerja sama ini diperpanjang atau diperbarui.",
    ),
    (
        "exploring",
        "Being explored",
        "Dijajaki",
        "A source reports the tie being explored or drafted, not yet signed.",
        "Sumber melaporkan kerja sama ini masih dijajaki atau dirancang, belum ditandatangani.",
    ),
    (
        "reported-stalled",
        "Reported stalled",
        "Dilaporkan mandek",
        "A source reports that nothing followed.",
        "Sumber melaporkan tidak ada tindak lanjut.",
    ),
    (
        "ended",
        "Ended",
        "Berakhir",
        "A source reports the tie ended, stopped or completed.",
        "Sumber melaporkan kerja sama ini berakhir, dihentikan, atau selesai.",
    ),
)
OBSERVATION_STATUS = {
    "signed": "not-reported",
    "mentioned": "not-reported",
    "activity": "active",
    "renewed": "active",
    "exploring": "exploratory",
    "reported-stalled": "stalled",
    "ended": "ended",
}
assert OBSERVATION_STATUS.keys() == OBSERVATIONS.keys() and set(OBSERVATION_STATUS.values()) == STATUSES.keys()

KINDS = _terms(
    ("sister-city", "Sister city", "Kota kembar"),
    ("sister-province", "Sister province", "Provinsi kembar"),
    ("friendship-city", "Friendship city", "Kota persahabatan"),
    ("sister-school", "Sister school", "Sekolah kembar"),
    ("cooperation", "Cooperation", "Kerja sama"),
)

# How a party is placed on the map: "gazetteer" levels are looked up among cities,
# "region" levels need content/places.yaml or coordinates (no offline package has
# admin-1 centroids we trust), "none" levels are not places and stay off the map.
LEVEL_PLACING = {
    "city": "gazetteer",
    "regency": "gazetteer",
    "municipality": "gazetteer",
    "district": "gazetteer",
    "county": "region",
    "province": "region",
    "state": "region",
    "prefecture": "region",
    "governorate": "region",
    "region": "region",
    "school": "gazetteer",
    "organisation": "none",
    "national": "none",
}

LEVELS = _terms(
    ("city", "City", "Kota"),
    ("regency", "Regency", "Kabupaten"),
    ("municipality", "Municipality", "Munisipalitas"),
    ("district", "District", "Distrik"),
    ("county", "County", "County (wilayah setingkat kabupaten)"),
    ("province", "Province", "Provinsi"),
    ("state", "State", "Negara bagian"),
    ("prefecture", "Prefecture", "Prefektur"),
    ("governorate", "Governorate", "Kegubernuran"),
    ("region", "Region", "Wilayah"),
    ("school", "School", "Sekolah"),
    ("organisation", "Organisation", "Organisasi"),
    ("national", "National government", "Pemerintah nasional"),
)
assert LEVELS.keys() == LEVEL_PLACING.keys()

SECTORS = _terms(
    ("agriculture", "Agriculture", "Pertanian"),
    ("arts", "Arts", "Kesenian"),
    ("civil-service", "Civil service", "Aparatur sipil negara"),
    ("culture", "Culture", "Kebudayaan"),
    ("dairy", "Dairy farming", "Peternakan sapi perah"),
    ("economy", "Economy", "Ekonomi"),
    ("education", "Education", "Pendidikan"),
    ("environment", "Environment", "Lingkungan hidup"),
    ("fisheries", "Fisheries", "Perikanan"),
    ("governance", "Governance", "Tata kelola pemerintahan"),
    ("health", "Health", "Kesehatan"),
    ("industry", "Industry", "Industri"),
    ("information-exchange", "Information exchange", "Pertukaran informasi"),
    ("infrastructure", "Infrastructure", "Infrastruktur"),
    ("investment", "Investment", "Investasi"),
    ("labour", "Labour", "Ketenagakerjaan"),
    ("language", "Language", "Bahasa"),
    ("sanitation", "Sanitation", "Sanitasi"),
    ("science", "Science", "Ilmu pengetahuan"),
    ("sport", "Sport", "Olahraga"),
    ("technology", "Technology", "Teknologi"),
    ("tourism", "Tourism", "Pariwisata"),
    ("trade", "Trade", "Perdagangan"),
    ("transport", "Transport", "Transportasi"),
    ("waste-management", "Waste management", "Pengelolaan sampah"),
    ("water", "Water supply", "Air bersih"),
    ("youth", "Youth", "Kepemudaan"),
)

DOCUMENT_TYPES = _terms(
    ("mou", "Memorandum of Understanding (MoU)", "Nota Kesepahaman (MoU)"),
    ("loi", "Letter of Intent (LoI)", "Surat Pernyataan Kehendak (LoI)"),
    ("agreement", "Agreement", "Perjanjian kerja sama"),
    ("joint-declaration", "Joint declaration", "Deklarasi bersama"),
    ("draft", "Draft", "Rancangan"),
    ("other", "Other document", "Dokumen lain"),
)

PROGRESS = _terms(
    ("done", "Done", "Terlaksana"),
    ("under-way", "Under way", "Sedang berjalan"),
    ("not-done", "Not done", "Tidak terlaksana"),
    ("not-reported", "Not reported", "Tidak dilaporkan"),
)

SOURCE_TYPES = _terms(
    ("journal-article", "Journal article", "Artikel jurnal"),
    ("thesis", "Thesis", "Skripsi / tesis"),
    ("book", "Book", "Buku"),
    ("report", "Report", "Laporan"),
    ("official-document", "Official document", "Dokumen resmi"),
    ("news", "News article", "Berita"),
    ("web-page", "Web page", "Halaman web"),
)


@dataclass(frozen=True)
class Colours:
    """How one status is drawn: a fill for map marks and charts, text colours for badges."""

    fill: str  # map rings, lines and chart bars; chosen to tell apart with colour-blind eyes
    text: str  # on a light page (contrast at least 4.5:1 against white)
    text_dark: str  # on a dark page (at least 4.5:1 against the dark background)


# The one palette of status colours: the stylesheet's custom properties (the end of assets/site.css, made
# by catalogue.assets), the map data and the statistics charts all read it, so a status added to
# STATUSES needs one line here and nothing else. Fills are Okabe-Ito, and colour is never alone:
# every mark also carries the status in words.
STATUS_PALETTE = {
    "active": Colours("#009E73", "#00795a", "#4cc9a4"),
    "stalled": Colours("#D55E00", "#b34700", "#f0935a"),
    "exploratory": Colours("#0072B2", "#0062a0", "#6cb4f0"),
    "ended": Colours("#6B6B6B", "#5e5e5e", "#b0b0b0"),
    "not-reported": Colours("#CC79A7", "#9c3f74", "#e7a6cc"),
}


def status_colours() -> dict[str, Colours]:
    """Each status's colours, in vocabulary order; fails loudly for a status nobody gave a colour."""
    missing = [key for key in STATUSES if key not in STATUS_PALETTE]
    if missing:
        raise KeyError(
            f"catalogue/vocab.py: STATUS_PALETTE: no colours for {', '.join(missing)}; add a Colours(...) line for each"
        )
    return {key: STATUS_PALETTE[key] for key in STATUSES}
