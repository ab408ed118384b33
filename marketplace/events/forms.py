"""Organisers' forms for events and participants: validate and shape input only (rules in services.py)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from ..forms import WholeNumberField, apply_service_errors, select_choices
from ..models import ParticipantSide
from ..validators import MAX_ID
from . import services
from .importing import MAX_BYTES, MAX_ROWS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _TypedField(StringField):
    """A text field whose ``data`` is parsed by ``parse`` (ValueError: a field error, the typed text kept)."""

    parse = staticmethod(lambda text: text)
    show = staticmethod(str)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            self.data = self.parse(str(valuelist[0])[:300])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.show(self.data) if self.data not in (None, []) else ""


class TimeTextField(_TypedField):
    """HH:MM (also 9h00), as French people type hours; ``type=time`` pickers differ too much between phones."""

    parse = staticmethod(services.parse_time_text)
    show = staticmethod(lambda value: f"{value:%H:%M}")


class BreaksField(_TypedField):
    """"12:30-14:00, 16:00-16:15" -> [(time, time), ...]."""

    parse = staticmethod(services.parse_breaks_text)
    show = staticmethod(lambda value: ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in value))

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is None:
            self.data = []


def _date_field(label, **kwargs):
    from ..buyers.forms import FrenchDateField  # the tenders' date field: JJ/MM/AAAA or a date picker's value

    return FrenchDateField(label, **kwargs)


class EventForm(FlaskForm):
    name = StringField("Nom de l'événement", filters=[_strip],
                       validators=[InputRequired("Donnez un nom à l'événement.")],
                       description="Par exemple : Semaine de la diversité entrepreneuriale 2027.")
    place = StringField("Lieu", filters=[_strip], description="Adresse ou salle (facultatif).")
    description = TextAreaField("Présentation", filters=[_strip],
                                description="Facultatif : reprise dans l'invitation envoyée aux participants.")
    first_day = _date_field("Premier jour", description="JJ/MM/AAAA.")
    last_day = _date_field("Dernier jour", description="JJ/MM/AAAA ; le même jour pour un événement d'une journée.")
    day_start = TimeTextField("Début des rendez-vous", description="HH:MM, par exemple 09:00.",
                              render_kw={"inputmode": "numeric", "autocomplete": "off"})
    day_end = TimeTextField("Fin des rendez-vous", description="HH:MM, par exemple 17:30.",
                            render_kw={"inputmode": "numeric", "autocomplete": "off"})
    slot_minutes = WholeNumberField("Durée d'un rendez-vous (minutes)", description="Entre 5 et 240, par exemple 20.",
                                    render_kw={"inputmode": "numeric"})
    breaks = BreaksField("Pauses", description="Chaque jour ; plusieurs pauses séparées par des virgules, "
                                               "par exemple 12:30-14:00, 16:00-16:15. Facultatif.",
                         render_kw={"autocomplete": "off"})
    tables = WholeNumberField("Nombre de tables", description="Autant de rendez-vous peuvent avoir lieu en même temps.",
                              render_kw={"inputmode": "numeric"})
    max_meetings = WholeNumberField("Rendez-vous par participant au plus",
                                    description="Facultatif : vide, un participant peut avoir un rendez-vous à "
                                                "chaque créneau.", render_kw={"inputmode": "numeric"})
    min_score = WholeNumberField("Score minimal de pertinence (%)",
                                 description="Entre 0 et 100. En dessous, deux participants ne se rencontrent que "
                                             "si l'un d'eux l'a demandé.", render_kw={"inputmode": "numeric"})
    confirm_clear = BooleanField("Je confirme : effacer les rendez-vous planifiés")

    def to_data(self) -> services.EventData:
        min_score = self.min_score.data
        return services.EventData(
            name=self.name.data or "", place=self.place.data or "", description=self.description.data or "",
            first_day=self.first_day.data, last_day=self.last_day.data, day_start=self.day_start.data,
            day_end=self.day_end.data, slot_minutes=self.slot_minutes.data, breaks=self.breaks.data or [],
            tables=self.tables.data, max_meetings=self.max_meetings.data,
            min_score=0.2 if min_score is None else min_score / 100)

    def fill(self, event) -> None:
        data = services.event_data_of(event)
        for name in ("name", "place", "description", "first_day", "last_day", "day_start", "day_end", "slot_minutes",
                     "breaks", "tables", "max_meetings"):
            getattr(self, name).data = getattr(data, name)
        self.min_score.data = round(data.min_score * 100)

    def apply_service_errors(self, error) -> None:
        apply_service_errors(self, error)


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only): status, remove, resend."""


class OrganiserForm(FlaskForm):
    email = StringField("Adresse e-mail du compte organisateur", filters=[_strip],
                        validators=[InputRequired("Indiquez l'adresse e-mail.")],
                        render_kw={"autocomplete": "off", "type": "email"})


class RemoveOrganiserForm(FlaskForm):
    organiser_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])


class EnrolForm(FlaskForm):
    """Enrol a company or a buyer account found by the search (its id)."""

    item_id = IntegerField(validators=[InputRequired("Choisissez dans la liste."), NumberRange(1, MAX_ID)])


class RemoveParticipantForm(FlaskForm):
    confirm = BooleanField("Je confirme le retrait")


class InviteForm(FlaskForm):
    side = RadioField("Côté", choices=select_choices([(s.value, s.label) for s in ParticipantSide]),
                      validators=[InputRequired("Choisissez acheteur ou entrepreneur.")],
                      default=ParticipantSide.SUPPLIER.value)
    person_name = StringField("Nom de la personne", filters=[_strip], validators=[InputRequired(
        "Indiquez le nom de la personne.")], render_kw={"autocomplete": "off"})
    organisation_name = StringField("Organisation ou entreprise", filters=[_strip], validators=[InputRequired(
        "Indiquez l'organisation ou l'entreprise.")], render_kw={"autocomplete": "off"})
    email = StringField("Adresse e-mail", filters=[_strip], validators=[InputRequired("Indiquez l'adresse e-mail.")],
                        render_kw={"autocomplete": "off", "type": "email"})
    needs_text = TextAreaField("Ce qu'il achète, ou son activité", filters=[_strip],
                               description="Acheteur : ses besoins ; entrepreneur : ce que fait l'entreprise.")
    cpv_codes = StringField("Codes CPV", filters=[_strip], description="Facultatif, séparés par des virgules, par "
                            "exemple 90910000-9.", render_kw={"autocomplete": "off", "spellcheck": "false"})
    postcode = StringField("Code postal (entrepreneur)", filters=[_strip], description="5 chiffres, facultatif.",
                           render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 5})
    qpv_declared = BooleanField("L'entreprise se déclare implantée en quartier prioritaire (QPV)")

    def to_data(self) -> services.ParticipantData:
        return services.ParticipantData(
            side=self.side.data, person_name=self.person_name.data or "",
            organisation_name=self.organisation_name.data or "", email=self.email.data or "",
            needs_text=self.needs_text.data or "", cpv_codes=self.cpv_codes.data or "",
            postcode=self.postcode.data or "", qpv_declared=bool(self.qpv_declared.data))

    def apply_service_errors(self, error) -> None:
        apply_service_errors(self, error)


class ImportForm(FlaskForm):
    file = FileField("Fichier CSV ou Excel (.xlsx)",
                     description=f"{MAX_BYTES // (1024 * 1024)} Mo et {MAX_ROWS} lignes au plus.",
                     render_kw={"accept": ".csv,.xlsx,text/csv,"
                                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    only_valid = BooleanField("Importer seulement les lignes valides")
    send_invitations = BooleanField("Envoyer les invitations maintenant", default=True)

    def validate_file(self, field):
        from wtforms import ValidationError

        if not getattr(field.data, "filename", None):
            raise ValidationError("Choisissez un fichier.")
