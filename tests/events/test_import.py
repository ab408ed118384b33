"""Participants imported from CSV or XLSX: every bad row listed with its line number and reason, nothing imported
while a row is bad unless only the good rows are asked for, invitations sent, no 500 on a file that is not one."""

import html
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from marketplace.events import importing
from marketplace.extensions import db
from marketplace.models import EventParticipant, OutboxEmail, ParticipantSide

HEADER = "type;organisation;nom;email;besoins;cpv;code_postal;qpv"
GOOD_ROWS = [
    "acheteur;Ville de Bobigny;Inès Martin;ines.martin@bobigny.example;Nettoyage des écoles;90910000-9;;",
    "entreprise;Jardins de l'Ourcq;Moussa Traoré;moussa@jardins.example;Espaces verts, élagage;77310000-6 77211400-6;"
    "93500;oui",
    "Entreprise;Traiteur Saveurs;Lina Haddad;lina@saveurs.example;Plateaux repas;;93300;non",
]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _csv(rows, *, header=HEADER, bom=True, delimiter=";") -> bytes:
    text = "\r\n".join([header, *rows]).replace(";", delimiter) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(client, event, content: bytes, filename="participants.csv", **options):
    data = {"file": (io.BytesIO(content), filename), "send_invitations": "y", **options}
    return client.post(f"/evenements/{event.id}/participants/import", data=data, content_type="multipart/form-data")


def _emails(event) -> set[str]:
    return set(db.session.scalars(select(EventParticipant.email).where(EventParticipant.event_id == event.id)))


def _count(event) -> int:
    return db.session.scalar(select(func.count(EventParticipant.id)).where(EventParticipant.event_id == event.id))


@pytest.fixture
def world(event_world, auth):
    auth.login_as(event_world.organiser)
    return event_world


def test_import_page_explains_the_format_and_offers_the_template(client, world):
    page = _text(client.get(f"/evenements/{world.event.id}/participants/import"))
    assert "Importer seulement les lignes valides" in page
    assert 'href="/evenements/participants/modele.csv"' in page
    template = client.get("/evenements/participants/modele.csv")
    assert template.mimetype == "text/csv"
    assert template.data.startswith("\ufeff".encode())
    assert template.data.decode("utf-8-sig").strip() == HEADER


def test_a_good_csv_with_bom_and_semicolons_is_imported_and_invited(client, world):
    response = _post(client, world.event, _csv(GOOD_ROWS))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/evenements/{world.event.id}/participants"
    assert {"ines.martin@bobigny.example", "moussa@jardins.example", "lina@saveurs.example"} <= _emails(world.event)
    moussa = db.session.scalar(select(EventParticipant).where(EventParticipant.email == "moussa@jardins.example"))
    assert (moussa.side, moussa.organisation_name, moussa.person_name) == (
        ParticipantSide.SUPPLIER, "Jardins de l'Ourcq", "Moussa Traoré")
    assert (moussa.cpv_codes, moussa.postcode, moussa.qpv_declared) == (["77310000-6", "77211400-6"], "93500", True)
    ines = db.session.scalar(select(EventParticipant).where(EventParticipant.email == "ines.martin@bobigny.example"))
    assert ines.side is ParticipantSide.BUYER
    assert ines.postcode is None
    invited = set(db.session.scalars(select(OutboxEmail.to_address).where(OutboxEmail.kind == "event_invitation")))
    assert invited == {"ines.martin@bobigny.example", "moussa@jardins.example", "lina@saveurs.example"}


def test_a_comma_csv_without_bom_with_french_headers_in_any_case(client, world):
    header = "Type,Organisation,Nom,E-mail,Activité,Codes CPV,Code postal,QPV"
    rows = ['entreprise,"Propreté Plus, SARL",Awa Diallo,awa@proprete.example,Nettoyage,"90910000-9, 90911200-8",'
            "93200,Oui"]
    response = _post(client, world.event, _csv(rows, header=header, bom=False, delimiter=","))
    assert response.status_code == 302
    awa = db.session.scalar(select(EventParticipant).where(EventParticipant.email == "awa@proprete.example"))
    assert awa.organisation_name == "Propreté Plus, SARL"
    assert awa.cpv_codes == ["90910000-9", "90911200-8"]
    assert awa.qpv_declared is True


def test_a_good_xlsx_is_imported(client, world):
    content = _xlsx([["Type", "Organisation", "Nom", "Email", "Besoins", "CPV", "Code postal", "QPV"],
                     ["acheteur", "Département 93", "Hugo Blanc", "hugo@cd93.example", "Restauration", "55520000-1",
                      None, None],
                     [None, None, None, None, None, None, None, None],
                     ["entreprise", "Menuiserie du Canal", "Sara Lopez", "sara@menuiserie.example", "Menuiserie",
                      45421000, 1500, "non"]])
    response = _post(client, world.event, content, filename="participants.xlsx")
    assert response.status_code == 302
    sara = db.session.scalar(select(EventParticipant).where(EventParticipant.email == "sara@menuiserie.example"))
    assert sara.cpv_codes == ["45421000"]
    assert sara.postcode == "01500"  # a number cell: Excel dropped the leading 0
    assert _count(world.event) == 10


BAD_ROWS = [
    GOOD_ROWS[0],
    "fournisseur en chef;Sans Type;Léa;lea@exemple.example;;;;",  # line 3: type
    "entreprise;;Sans Organisation;sans-orga@exemple.example;;;;",  # line 4: organisation
    "entreprise;Adresse fausse;Paul;paul-at-exemple;;;;",  # line 5: e-mail
    "entreprise;CPV faux;Zoé;zoe@exemple.example;;1234;;",  # line 6: CPV syntax
    "entreprise;CP faux;Yan;yan@exemple.example;;;932;peut-être",  # line 7: postcode and qpv
    "acheteur;Doublon;Inès bis;INES.MARTIN@bobigny.example;;;;",  # line 8: duplicate of line 2
    GOOD_ROWS[1],
]


def _bad_rows_page(response) -> str:
    page = _text(response)
    return page.split("Lignes refusées et raisons")[1].split("</table>")[0]


def test_every_bad_row_is_listed_with_its_line_and_reason_and_nothing_is_imported(client, world):
    existing = world.suppliers[2].email
    rows = [*BAD_ROWS, f"entreprise;Déjà là;Quelqu'un;{existing};;;;"]  # line 10: already a participant
    response = _post(client, world.event, _csv(rows))
    assert response.status_code == 422
    table = _bad_rows_page(response)
    expected = {
        3: "type : « fournisseur en chef » inconnu (acheteur ou entreprise).",
        4: "organisation : Indiquez l'organisation ou l'entreprise.",
        5: "email : Adresse e-mail invalide.",
        6: "cpv : Le code CPV « 1234 » n'est pas valide",
        7: "code_postal : Le code postal doit comporter 5 chiffres.",
        8: "email : ines.martin@bobigny.example figure déjà ligne 2.",
        10: f"email : {existing} participe déjà à l'événement.",
    }
    for line, reason in expected.items():
        row = table.split(f'<th scope="row">{line}</th>')[1].split("</tr>")[0]
        assert reason in row, line
    assert "qpv : « peut-être » inconnu (oui ou non)." in table.split('<th scope="row">7</th>')[1]
    assert '<th scope="row">2</th>' not in table
    assert '<th scope="row">9</th>' not in table
    assert "7 lignes à corriger sur 9" in _text(response)
    assert "Rien n'a été importé." in _text(response)
    assert _count(world.event) == 8
    assert not db.session.scalar(select(func.count(OutboxEmail.id)))


def test_only_the_valid_rows_when_asked(client, world):
    response = _post(client, world.event, _csv(BAD_ROWS), only_valid="y")
    assert response.status_code == 200
    page = _text(response)
    assert "2 participants importés et invités." in page
    assert "2 lignes valides importées" in page
    assert '<th scope="row">5</th>' in _bad_rows_page(response)
    assert {"ines.martin@bobigny.example", "moussa@jardins.example"} <= _emails(world.event)
    assert _count(world.event) == 10


def test_invitations_can_wait(client, world):
    data = {"file": (io.BytesIO(_csv(GOOD_ROWS)), "p.csv")}
    response = client.post(f"/evenements/{world.event.id}/participants/import", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert _count(world.event) == 11
    assert not db.session.scalar(select(func.count(OutboxEmail.id)))
    ines = db.session.scalar(select(EventParticipant).where(EventParticipant.email == "ines.martin@bobigny.example"))
    assert ines.invited_at is None


@pytest.mark.parametrize(("content", "filename", "message"), [
    pytest.param("type;organisation;nom;email\nentreprise;Café Égalité;Rémi;remi@cafe.example\n".encode("latin-1"),
                 "latin1.csv", "Ce fichier CSV n'est pas en UTF-8", id="latin-1"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "photo.csv",
                 "Ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) lisible", id="png"),
    pytest.param(b"PK\x03\x04" + bytes(100), "faux.xlsx", "ni un CSV ni un classeur Excel", id="broken-zip"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "ancien.xls", "ni un CSV ni un classeur Excel",
                 id="old-xls"),
    pytest.param(b"", "vide.csv", "Le fichier est vide.", id="empty"),
    pytest.param("nom;email\nRémi;remi@cafe.example\n".encode(), "colonnes.csv",
                 "Colonnes manquantes : « type », « organisation ».", id="missing-columns"),
    pytest.param(HEADER.encode() + b"\r\n", "entetes.csv", "Le fichier ne contient que les en-têtes", id="header-only"),
])
def test_files_that_cannot_be_read_get_a_clear_message(client, world, content, filename, message):
    response = _post(client, world.event, content, filename=filename)
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert 'id="file-erreur"' in page
    assert _count(world.event) == 8


def _rewrite(content: bytes, name: str, change) -> bytes:
    """The workbook with one member's XML changed by ``change`` (bytes -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
HEADER_CELLS = ["type", "organisation", "nom", "email"]


def test_an_xlsx_with_malformed_xml_gets_the_clear_message(client, world):
    content = _rewrite(_xlsx([HEADER_CELLS, ["acheteur", "Ville", "Inès", "ines@ville.example"]]), SHEET,
                       lambda xml: xml.replace(b"</sheetData>", b"<row><c r="))
    response = _post(client, world.event, content, filename="casse.xlsx")
    assert response.status_code == 422
    assert "Ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) lisible" in _text(response)
    assert _count(world.event) == 8


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", b"<Types/>")
        bomb.writestr(SHEET, b" " * (importing.MAX_UNPACKED_BYTES + 1))
    assert len(out.getvalue()) < importing.MAX_BYTES
    response = _post(client, world.event, out.getvalue(), filename="bombe.xlsx")
    assert response.status_code == 422
    assert "Ce classeur décompressé dépasse 30 Mo" in _text(response)


def test_a_sheet_declaring_every_column_is_read_within_the_known_columns(client, world):
    content = _rewrite(_xlsx([HEADER_CELLS, ["acheteur", "Ville de Pantin", "Inès", "ines@pantin.example"]]), SHEET,
                       lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD5001"', xml))
    assert b"A1:XFD5001" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    rows = importing.read_rows("large.xlsx", content)
    assert [values["organisation"] for _line, values in rows] == ["Ville de Pantin"]
    assert max(len(row) for row in importing._xlsx_rows(content)) <= importing.MAX_COLUMNS
    assert _post(client, world.event, content, filename="large.xlsx").status_code == 302
    assert "ines@pantin.example" in _emails(world.event)


def test_a_file_too_big_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 4096)  # small: a 2-MB upload would go through a temporary file
    response = _post(client, world.event, _csv(GOOD_ROWS * 40))
    assert response.status_code == 422
    assert "Le fichier dépasse" in _text(response)
    assert _count(world.event) == 8


def test_too_many_rows_are_refused(app, world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [f"entreprise;Entreprise {n};Personne {n};p{n}@exemple.example;;;;" for n in range(4)]
    with pytest.raises(importing.ServiceError, match="plus de 3 lignes"):
        importing.import_participants(world.event, "p.csv", _csv(rows))
    assert _count(world.event) == 8


def test_no_file_at_all(client, world):
    response = client.post(f"/evenements/{world.event.id}/participants/import", data={"send_invitations": "y"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choisissez un fichier." in _text(response)


def test_a_large_import_sends_its_invitations_in_a_background_job(client, world, monkeypatch):
    monkeypatch.setattr(importing, "SEND_NOW_MAX", 2)
    monkeypatch.setattr(importing, "INVITATIONS_CHUNK", 2)
    response = _post(client, world.event, _csv(GOOD_ROWS))
    assert response.status_code == 302
    assert "tache=" in response.headers["Location"]
    page = _text(client.get(response.headers["Location"]))
    assert "Envoi des invitations" in page
    assert "les invitations partent en arrière-plan" in page
    assert "Terminée" in page
    invited = set(db.session.scalars(select(OutboxEmail.to_address).where(OutboxEmail.kind == "event_invitation")))
    assert invited == {"ines.martin@bobigny.example", "moussa@jardins.example", "lina@saveurs.example"}
    assert db.session.scalar(select(func.count(EventParticipant.id)).where(EventParticipant.invited_at.is_(None),
                                                                           EventParticipant.email.in_(invited))) == 0


def test_the_invitations_job_is_shown_only_to_who_started_it(client, auth, world, make_user, monkeypatch):
    from marketplace.models import Role

    monkeypatch.setattr(importing, "SEND_NOW_MAX", 2)
    location = _post(client, world.event, _csv(GOOD_ROWS)).headers["Location"]
    co_organiser = make_user(Role.ORGANISER)
    world.event.organisers.append(importing.services.EventOrganiser(user=co_organiser))
    db.session.commit()
    auth.logout()
    auth.login_as(co_organiser)
    page = _text(client.get(location))
    assert "Importer des participants" in page
    assert "Envoi des invitations" not in page
