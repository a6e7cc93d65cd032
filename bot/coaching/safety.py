"""Screening a parent's own words for signs that someone may be in danger right now.

Pure: no I/O, no Telegram, no database. `screen` reads one message and returns a `Screening`:
the most urgent category found, the id of the rule that matched (so staff and content writers can
see why), and whether the match is only a maybe (`ambiguous`), in which case the bot asks "are you
safe?" instead of raising an alarm.

How a message is read:

1. `normalise`: Unicode NFKC, format characters (zero-width spaces and joiners) dropped,
   case-folded, accents stripped ("pegó" reads "pego"), apostrophes removed ("won't" reads
   "wont"), three or more repeated letters squeezed to two, whitespace folded.
2. Words and numbers are split out; common texting spellings are expanded ("wanna" -> "want to",
   "q" -> "que", "kms" -> "kill myself"). Each word is compared by its skeleton (doubled letters
   read once, so "sooo", "soo" and "so" are the same word) and, for longer words, with one typo
   allowed (an insertion, deletion, substitution or swap, same first and last letter), using
   `rapidfuzz`.
3. The rules below are data: a rule id, a category, and word patterns in a small notation.
   Every rule runs on every message, so Spanglish is read by both languages' rules at once.

Pattern notation, one pattern per string, elements separated by spaces:

- `a|b|c` one word out of several; `a_b` a run of words ("the_baby"); `word*` any word that
  starts so; `=word` exact (no typo allowed); `!word` exact and not written with a final
  "ó" (Spanish "me ahorco", I hang myself, not "me ahorcó", he choked me); `@name` a shared
  word list (see `_MACROS`);
  `#hot`, `#warm`, `#num`, `#small`, `#lt3` a number (a high temperature in C or F, a raised
  one, any, 0-5, below 3).
- `x?` makes the element optional; `~N` skips up to N words (never across a sentence end);
  `$` is the end of a clause.

Rule options (all data): `ambiguous` (a match only asks), `negation` ("ask", "drop" or
"ignore": what a negated match becomes, e.g. "I would never hurt my baby"), `unless` /
`soften` / `upgrade` (cue names: anywhere in the message they drop the match, make it a
question, or make a question a flag), `unless_after` (patterns right after the match: idioms
such as "me muero de risa") and `unless_before` (the word right before the match).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Final, Literal

from rapidfuzz.distance import OSA


class Category(StrEnum):
    BABY_UNWELL = "baby_unwell"
    SELF_HARM = "self_harm"
    HARM_CHILD = "harm_child"
    VIOLENCE_HOME = "violence_home"
    DISTRESS = "distress"


#: Most urgent first: when a message matches several categories the first one wins.
PRIORITY: Final = (
    Category.BABY_UNWELL,
    Category.SELF_HARM,
    Category.HARM_CHILD,
    Category.VIOLENCE_HOME,
    Category.DISTRESS,
)


@dataclass(frozen=True, slots=True)
class Screening:
    category: Category | None  # None: nothing found
    rule: str | None  # stable id of the rule that matched, e.g. "self_harm.en.kill-myself"
    ambiguous: bool = False  # True: not sure, ask "are you safe?" instead of alarming

    @property
    def flagged(self) -> bool:
        return self.category is not None and not self.ambiguous


NOTHING: Final = Screening(None, None)


# --------------------------------------------------------------------------------------------
# Normalising and reading words

_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼʹ′")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_DOUBLES = re.compile(r"([^\W\d_])\1+")
_PIECES = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+|[.!?]+|[,;:()\-–—]+")


def normalise(text: str) -> str:
    """The text as the rules read it: NFKC, no format characters, case-folded, no accents, no
    apostrophes, letters repeated three or more times squeezed to two, whitespace folded."""
    return _plain(_fold(text))


def _fold(text: str) -> str:
    """NFKC, no apostrophes or format characters, case-folded, whitespace folded; accents kept
    (a final "ó" tells "lloró", she cried, from "lloro", I cry). Plain ASCII, most messages,
    has nothing to normalise and no format characters: only its case and spaces change."""
    if text.isascii():
        return " ".join(text.translate(_APOSTROPHES).lower().split())
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold()
    return " ".join(text.translate(_APOSTROPHES).split())


def _plain(text: str) -> str:
    """Accents stripped and long runs of one letter squeezed to two."""
    if not text.isascii():  # ASCII has no accents to strip
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return _REPEATS.sub(r"\1\1", text)


# One word's `_plain`: read once per word of a message, from a vocabulary that repeats.
_plain_word = lru_cache(maxsize=32768)(_plain)


@lru_cache(maxsize=32768)
def _skeleton(word: str) -> str:
    """A word with doubled letters read once: "sooo" -> "so", "kill" -> "kil"."""
    return _DOUBLES.sub(r"\1", word)


# Texting spellings, expanded before matching (keys and values are normalised words).
_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "wanna": ("want", "to"),
    "gonna": ("going", "to"),
    "gotta": ("got", "to"),
    "kms": ("kill", "myself"),
    "killmyself": ("kill", "myself"),
    "killmyslef": ("kill", "myself"),
    "wanttodie": ("want", "to", "die"),
    "myself": ("myself",),
    "teh": ("the",),
    "bby": ("baby",),
    "hubby": ("husband",),
    "hubs": ("husband",),
    "bf": ("boyfriend",),
    "gf": ("girlfriend",),
    "bd": ("baby", "daddy"),
    "rn": ("right", "now"),
    "dnt": ("dont",),
    "cnt": ("cant",),
    "didnt": ("didnt",),
    "u": ("you",),
    "ur": ("your",),
    "lil": ("little",),
    "q": ("que",),
    "k": ("que",),
    "ke": ("que",),
    "xq": ("porque",),
    "pq": ("porque",),
    "kiero": ("quiero",),
    "qiero": ("quiero",),
    "kero": ("quiero",),
    "qero": ("quiero",),
    "quero": ("quiero",),
    "bb": ("bebe",),
    "bebecito": ("bebe",),
    "bebito": ("bebe",),
    "bebita": ("bebe",),
}

# fmt: off
_NEGATORS: Final = frozenset(_skeleton(w) for w in (
    "not", "never", "dont", "doesnt", "didnt", "wont", "wouldnt", "couldnt", "shouldnt", "isnt",
    "wasnt", "arent", "no", "nor", "nunca", "jamas", "ni", "tampoco",
))
# "I don't know", "no sé", "no joke", "won't stop", "no deja de": a negator before these words
# negates nothing that follows.
_NOT_NEGATING_NEXT: Final = frozenset(_skeleton(w) for w in (
    "know", "se", "sure", "idea", "clue", "joke", "kidding", "lie", "broma", "miento", "cap",
    "stop", "stops", "stopping", "quit", "deja", "dejaba", "para", "paraba", "paro",
))
# fmt: on
# Everyday words that are one letter away from a rule word ("kissing" / "killing", "quedarme" /
# "quemarme"): known, so never read as a typo.
_COMMON: Final = frozenset(
    _skeleton(w)
    for w in (
        "kissing",
        "vaca",
        "vacas",
        "cola",
        "kissed",
        "missing",
        "missed",
        "filling",
        "telling",
        "selling",
        "falling",
        "calling",
        "willing",
        "billing",
        "feeling",
        "killed",
        "kidding",
        "hugging",
        "wiping",
        "breathing",
        "breathes",
        "breathed",
        "waking",
        "walking",
        "talking",
        "taking",
        "making",
        "shaking",
        "baking",
        "raking",
        "hitting",
        "sitting",
        "fitting",
        "getting",
        "letting",
        "putting",
        "cutting",
        "hurting",
        "hunting",
        "pushing",
        "rushing",
        "brushing",
        "washing",
        "choking",
        "cooking",
        "looking",
        "booking",
        "hooking",
        "smoking",
        "dying",
        "drying",
        "trying",
        "crying",
        "lying",
        "flying",
        "tying",
        "eyeing",
        "buying",
        "laying",
        "staying",
        "playing",
        "praying",
        "saying",
        "paying",
        "spraying",
        "husband",
        "partner",
        "parent",
        "parents",
        "present",
        "patient",
        "quedarme",
        "quedarse",
        "quedarte",
        "quemarme",
        "quemado",
        "cuando",
        "cuanto",
        "cuidado",
        "cuidando",
        "cansada",
        "cansado",
        "casada",
        "casado",
        "pasado",
        "pasada",
        "pesado",
        "pesada",
        "morado",
        "mojado",
        "mojada",
        "tomado",
        "tomando",
        "comiendo",
        "durmiendo",
        "llorando",
        "jugando",
        "riendo",
        "saliendo",
        "sintiendo",
        "pensando",
        "pegando",
        "pagando",
        "llegando",
        "llegado",
        "cargando",
        "cargado",
        "matando",
        "mirando",
        "tirando",
        "bajando",
        "botando",
        "vomitando",
        "despierta",
        "despierto",
        "desperto",
        "despertar",
        "respira",
        "respiro",
        "respirar",
        "quiero",
        "quiere",
        "quieres",
        "queria",
        "quisiera",
        "puedo",
        "puede",
        "pueda",
        "siento",
        "sienta",
        "sentir",
        "matar",
        "mamar",
        "mandar",
        "manejar",
        "nadar",
        "ayudar",
        "cantar",
        "contar",
        "cortar",
        "portar",
        "cambiar",
        "limpiar",
        "bañar",
        "banar",
        "jugar",
        "llorar",
        "hablar",
        "dormir",
        "morir",
        "mover",
        "volver",
        "vomitar",
        "despues",
        "siempre",
        "nunca",
        "mientras",
        "bastante",
        "whatever",
        "another",
        "brother",
        "mother",
        "father",
        "together",
        "weather",
        "either",
        "never",
        "fever",
        "forever",
        "clever",
        "seizes",
        "sizes",
        "diaper",
        "diapers",
        "toddler",
        "daughter",
        "laughter",
        "slaughter",
        "nothing",
        "something",
        "anything",
        "everything",
        "without",
        "throwing",
        "knowing",
        "showing",
        "growing",
        "blowing",
        "glowing",
        "flowing",
    )
)
_CLAUSE_WORDS: Final = frozenset(("but", "pero", "though", "aunque", "although"))


# --------------------------------------------------------------------------------------------
# The rules: data

# Shared word lists, used in patterns as @name.
_MACROS: Final[dict[str, str]] = {
    "partner": (
        "husband|husbands|wife|partner|boyfriend|girlfriend|fiance|fiancee|ex|exhusband"
        "|ex_husband|ex_boyfriend|baby_daddy|babydaddy|babys_dad|babys_father|kids_dad"
        "|kids_father|childs_father|stepdad|stepfather|step_dad|my_man|my_dude"
        "|esposo|esposa|marido|mario|mujer|pareja|novio|novia|exesposo|exmarido|exnovio"
        "|mi_viejo|mi_senor|mi_hombre|mi_companero|mi_chavo|mi_compa|concubino|conviviente"
        "|jevo|jeva|jebo|mi_man|mi_chamo|mi_gordo|mi_flaco"
        "|prometido|prometida|papa_de_mi_bebe|papa_de_mi_hijo|papa_de_mi_hija|papa_de_mis_hijos|papa_del_nino"
        "|papa_del_bebe|papa_de_la_nina|padre_de_mi_hijo|padre_de_mis_hijos|padrastro"
    ),
    "family_adult": (
        "dad|father|mom|mother|mum|brother|uncle|mother_in_law|father_in_law|roommate"
        "|papa|mama|hermano|tio|suegro|suegra|cunado|abuelo"
    ),
    "kid": (
        "the_baby|my_baby|a_baby|this_baby|baby|the_newborn|my_newborn|newborn|my_son"
        "|my_daughter|my_child|my_kid|my_kids|the_kids|the_child|my_little_one|my_lo|my_boy"
        "|my_girl|my_toddler|my_twins|him|her|them|el_bebe|al_bebe|la_bebe|mi_bebe|my_bebe"
        "|my_#num_month_old|my_#num_months_old|my_#num_week_old|my_#num_weeks_old|my_#num_mo"
        "|my_#num_month|my_#num_yo|your_baby|tu_bebe|a_tu_bebe"
    ),
    "kid_es": (
        "bebe|nino|nina|hijo|hija|nene|nena|chiquito|chiquita|criatura|guagua|chamaco"
        "|chamaquito|baby|bebes|ninos|hijos|recien_nacido|recien_nacida|bebito|bebita"
        "|patojo|patoja|chamo|chama|pelado|pelada|cipote|cipota|chavito|chavita|bebecita"
    ),
    "harm_en": (
        "hurt|hurting|harm|harming|kill|killing|smother*|suffocat*|drown|drowning|choke"
        "|choking|strangl*|shake|shaking|shook|shaken|slap|slapped|slapping|hit|hitting"
        "|punch*|spank*|beat|beating|throttl*|suffocate|smack|smacked|smacking|stab|stabbing"
        "|stabbed|cut|cutting|burn|burning|burned|slam|slammed|slamming"
    ),
    "rough_en": (
        "throw|throwing|threw|thrown|toss|tossed|tossing|drop|dropping|dropped|grab|grabbed"
        "|bit|bite|biting|push|pushed|pushing|restrained"
        "|grabbing|squeez*|pinch|pinched|pinching|yank|yanked|shove|shoved"
    ),
    "hit_en": (
        "hit|hits|hitting|beats|beating|beat_up|beats_up|punch*|slap*|smack*|chok*|strangl*"
        "|beat|push|pushes|pushed|pushing|shove|shoves|shoved|kick|kicks|kicked|kicking|hurt"
        "|hurts|hurting|abus*|threat*|rape|raped|rapes|raping|throws_things_at|threw_things_at"
        "|throws_stuff_at|threw_stuff_at|spit_on|spits_on|bit|bites|burn|burned|burnt"
        "|grabbed|grabs|attack*|assault*|hurted|slam|slams|slammed|slamming|bang|banged"
        "|smashed|dragged|drags|strangled|stabbed|cut"
    ),
    "hit_es": (
        "pega|pego|pegaba|pegara|pegaria|pegue|pegan|golpea|golpeo|golpeaba|golpean|golpearon"
        "|empuja|empujo|empujaba|empujan|ahorca|ahorco|ahorcaba|ahorcar|estrangul*|cachete*"
        "|abofete*|patea|pateo|pateaba|jalonea|jaloneo|jaloneaba|maltrat*|amenaz*|viola|violo"
        "|lastima|lastimo|lastimaba|quema|quemo|encierra|encerro|obliga|obligo|obligaba"
        "|tira_cosas|tiro_cosas|avienta_cosas|avento_cosas|da_cachetadas|da_golpes"
        "|dio_una_cachetada|dio_una_golpiza|dio_una_paliza|dio_una_patada|dio_un_golpe"
        "|dio_una_bofetada|dio_una_pela|dio_una_madriza|dio_un_punetazo|dio_una_trompada"
        "|da_de_golpes|dio_de_golpes|agarra_a_golpes|agarro_a_golpes|jala_del_pelo"
        "|arrastro|arrastra|arrastraba|arrastrando|azoto|azota|azotaba|estrello|estrella"
        "|estrellaba|lastimando|pegando|golpeando|ahorcando|maltratando|pateando|empujando"
        "|amenazando"
        "|jalo_del_pelo|escupe|escupio|agarro_del_cuello|agarra_del_cuello|agarro_del_pelo"
        "|agarra_del_pelo|apreto_el_cuello|apreta_el_cuello|agarra_a_golpes|dio_una_pela"
        "|da_pelas|dio_una_tunda|dio_una_zurra"
    ),
    "body": (
        "knee|knees|head|arm|arms|hand|hands|finger|fingers|leg|legs|foot|feet|back|toe|toes"
        "|nose|lip|lips|face|bum|butt|elbow|tooth|teeth|neck|eye|eyes|ear|ears|ankle|wrist"
        "|shoulder|tummy|belly|cheek|cheeks|chin|hair|feelings|nails|fingernails|toenails"
        "|food|grapes|sandwich|meat|bangs"
    ),
    "fever": "fever|feverish|fevers|fiebre|calentura|febril",
    "temp": "temp|temperature|temperatura|fiebre|fever|calentura",
    "young": (
        "newborn|recien_nacido|recien_nacida|neonato|#num_week|#num_weeks|#num_wk|#num_wks"
        "|#num_days|#num_semana|#num_semanas|#num_dias|#lt3_month|#lt3_months|#lt3_mo"
        "|#lt3_mos|#lt3_mes|#lt3_meses|one_month|two_months|two_month|un_mes|dos_meses"
        "|#lt3_m_old|#lt3_month_old"
    ),
}

# Cues: named patterns looked for anywhere in the message (rule options name them).
_CUES: Final[dict[str, tuple[str, ...]]] = {
    "laughter": ("lol|lmao|lmfao|rofl|haha*|jaja*|jeje*|jk|xd|jajaja|hahaha",),
    "partner": ("@partner",),
    # A grown-up doing it: toddlers don't drink.
    "adult": (
        "@partner",
        "@family_adult",
        "drunk|drinks|drinking|drank|wasted|beer|alcohol|borracho|borracha|tomado|bebido",
        "cuando_toma|cuando_bebe|llega_tomado|comes_home|came_home|llego_tomado",
        "in_front_of_the ~1 kids|baby|children",
        "he|hell|he_will|he_might|she|shell ~2 hurt|kill|hurts ~1 the_baby|my_baby|the_kids"
        "|my_kids|my_son|my_daughter",
        "lastime|le_pegue|le_haga_dano|lastimen ~2 al_nino|al_bebe|a_la_nina|a_la_bebe|a_mi_hijo"
        "|a_mi_hija|a_los_ninos|a_mi_bebe",
    ),
    # A small child doing it.
    "toddler": (
        "toddler|toddlers|diaper|diapers|nappy|tantrum|tantrums|meltdown|nursing|breastfeeding"
        "|bottle|remote|toy|toys|teething|daycare|crib|months|month|yo|year_old|years_old"
        "|my_son|my_daughter|my_boy|my_girl|the_kid|my_kid|little_one|lo|boob|feeding",
        "when_i_change|changing_him|changing_her|change_him|change_her|dressing_him",
        "hes|shes|he_is|she_is|tiene|turned ~1 #small",
        "panal|panales|berrinche|berrinches|biberon|mamila|teta|pecho|juguete|juguetes"
        "|meses|anos|nene|nena|nino|nina|hijo|hija|bebe|chiquito|chiquita|guagua|chamaco",
        "cuando_le_cambio|cuando_lo_cambio|cuando_la_cambio|le_cambio|cambiarle",
        "pregnant|weeks_pregnant|embarazada|semanas|the_baby_i_mean|panza|barriga",
    ),
    # Long ago, in the parent's own childhood.
    "past": (
        "when_i_was|when_we_were ~1 a_kid|kids|little|young|small|a_child|children|a_girl"
        "|a_boy|younger|growing_up",
        "used_to|growing_up|as_a_kid|de_chiquitos|de_chiquita"
        "|de_chiquito|de_nina|de_nino|de_pequena|de_pequeno|cuando_era|cuando_eramos"
        "|years_ago|hace_anos",
    ),
    # Someone else's baby, or long ago.
    "elsewhere": (
        "friend|friends|friends_baby|amiga|amigo|cousin|prima|primo|neighbor|vecina|last_year"
        "|sister|sisters|brother|brothers|hermana|hermano|sobrino|sobrina|nephew|niece|aunt"
        "|tia|tio"
        "|ano_pasado|years_ago|hace_anos|tv|show|movie|pelicula",
    ),
    # Told about, not lived: a class, a show, a screening question.
    "media": (
        "documentary|documentar*|movie|film|show|series|pelicula|serie|class|clase|article"
        "|articulo|news|noticias|book|libro|podcast|asked|asks|pregunto|preguntaron|nurse"
        "|enfermera|questionnaire|cuestionario|survey|encuesta|talk|charla|taller",
    ),
    "first_person": (
        "this_is|i_think|im_in|i_am_in|going_through|experiencing|suffer*|victim|at_home"
        "|in_my_home|sufro|vivo|en_mi_casa|en_casa|estoy_viviendo|es_violencia|me_pasa"
        "|i_live|happening_to_me|thinking|thoughts|thought|considering|attempt*|commit*"
        "|plan|planning|pensado|pensando|pienso|pensamientos|intento|planeando|planeo|planear"
        "|planes|sigo",
        "i|im|me|my|mi|yo ~3 want|wanted|think|thinking|thought|quiero|pienso|pense",
    ),
    # The baby is breathing now, or it was a false alarm.
    "resolved": (
        "but|pero|now|ya|and_now ~3 fine|ok|okay|bien|better|mejor|normal|normally"
        "|breathing_fine|breathing_normally|breathing_again|respira_bien|respira_normal"
        "|se_le_paso|okay_now",
        "breathing_normally|breathing_fine|breathing_ok|thank_god|gracias_a_dios|all_clear"
        "|todo_bien",
        "ya|now|ahora ~1 respira_bien|respira_normal",
        "monitor|sensor|alarm|alarma|app",
    ),
    "nap": ("nap|naps|napping|siesta|siestas|lol|haha*|jaja*|jeje*|lmao",),
    "colour_source": (
        "popsicle|popsicles|paleta|paletas|crayon|crayons|crayones|marker|markers|paint"
        "|pintura|ink|tinta|blueberr*|berries|moras|candy|dulce|dye|food_coloring|jello"
        "|gelatina|onesie|shirt|ropa|cobija|blanket",
    ),
    "cold": ("nose|nariz|stuffy|congest*|mocos|moquitos|snot|cold|resfri*|gripa|gripe|catarro",),
    "vaccine": (
        "shots|shot|vaccine|vaccines|vaccination|vacuna|vacunas|low|slight|little|poquit*"
        "|fiebrita|poquita|leve|baja",
    ),
    "self_wake": ("want|wish|wanna|hope|rather ~6 not|never ~1 wake",),
    "accident": (
        "by_accident|accidentally|sin_querer|por_accidente|playing|jugando|jugabamos"
        "|while_playing|roughhousing|wrestling",
    ),
    "info": (
        "info|information|informacion|pamphlet|folleto|leaflet|article|articulo|video|videos"
        "|class|clase|curso|course|learned|learning|aprendimos|nos_explicaron|explained"
        "|pediatrician_said|the_doctor_said|el_doctor_dijo|la_pediatra_dijo|told_us|signs"
        "|signs_of|senales|sintomas|symptoms|nos_dijo|nos_explico",
    ),
    "purpose": (
        "so|so_that|para_que|in_case|no_sea_que ~3 wouldnt|doesnt|wont|dont|no|didnt ~2 wake"
        "|se_despierte|se_despertara|despierte|despertara",
    ),
    "tantrum": (
        "tantrum|tantrums|berrinche|berrinches|rage|coraje|anger|angry|enojo|enojado|enojada"
        "|screaming|gritando|laughing|riendo|holding_his_breath|holding_her_breath|gritar|grito"
        "|llorar|llanto|de_tanto|crying|scream|cry",
    ),
    "sleepy": ("sleepy|tired|sueno|dormido|dormida|asleep|noodle|fideo|relaxed|relajado",),
    "wake_other": ("no ~1 lo|la|los|las|le ~1 =quiero|quisiera ~1 despertar",),
    "permanent": ("permanently|forever|for_good|for_ever|para_siempre|de_una_vez",),
    "empty_thing": (
        "tank|gas|battery|tanque|bateria|stomach|belly|fridge|nevera|refri|bottle|biberon|cup"
        "|plate|house|casa|room|cuarto|box|caja|jar|frasco|bag|bolsa|crib|cuna|wallet|cartera"
        " ~2 is|esta|was|estaba|looks|feels ~1 empty|vacia|vacio",
    ),
    "not_me_es": ("se|le ~1 pego|pega|lastimo|golpeo ~2 con|en",),
    "joy": (
        "cute|adorable|precious|so_sweet|ternura|tan_bonita|tan_bonito|tan_lindo|tan_linda"
        "|preciosa|precioso|hermosa|hermoso|proud|orgullosa|orgulloso|said_mama|said_dada"
        "|dijo_mama|dijo_papa|first_steps|primeros_pasos|first_word|primera_palabra|rolled_over"
        "|se_volteo|crawled|gateo|walked|camino",
    ),
    "seizure_signs": (
        "jerking|twitching|eyes_rolling|eyes_rolled|stiff|shaking_all_over|not_responding"
        "|unresponsive|blue|foaming",
    ),
    "because": ("because|cause|bc|porque|por_que",),
    "toddler_only": ("toddler|my_son_|tantrum|berrinche",),
    "asleep": ("fell_asleep|falling_asleep|fall_asleep|se_quedo_dormid*|se_durmio",),
    "embarrassed": ("que_oso|que_verguenza|embarrass*|verguenza|mortified|so_awkward",),
    "harsh": (
        "too_hard|so_hard|really_hard|very_hard|hard|against|wall|window|stairs|floor|ground"
        "|on_purpose|purposely|angry|mad|rage|furious|ashamed|scared|marks|mark|bruise|bruises"
        "|across_the_room|across|nearly|almost|down|down_the_stairs|until_she_cried|off_the"
        "|off_the_couch|off_the_bed"
        "|until_he_cried|until_she_screamed|until_he_screamed|hasta_que_lloro|hasta_que_grito"
        "|i_hate_myself|me_odio|hate_myself|yelled|screamed|grite|le_grite|onto|contra"
        "|hit_his_head|hit_her_head|se_pego_en_la_cabeza|se_golpeo|demasiado_fuerte"
        "|too_tight|demasiado|because|cause|so_she_would|so_he_would|to_make_her|to_make_him"
        "|porque_no|para_que_se_callara|para_que_dejara"
        "|bruised|stop_crying|shut_up|fuerte|fuertes|moreton|moretones|marcas|callara|callar"
        "|llorar|pared|piso|suelo|ventana|escaleras|a_proposito|enojada|coraje",
    ),
}

Negation = Literal["ask", "drop", "ignore"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: Category
    patterns: tuple[str, ...]
    ambiguous: bool = False
    negation: Negation = "ask"
    unless: tuple[str, ...] = ()
    soften: tuple[str, ...] = ()
    upgrade: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()
    unless_before: str = ""


B, S, H, V, D = (
    Category.BABY_UNWELL,
    Category.SELF_HARM,
    Category.HARM_CHILD,
    Category.VIOLENCE_HOME,
    Category.DISTRESS,
)

RULES: Final[tuple[Rule, ...]] = (
    # ---- a baby who may be seriously unwell ----------------------------------------------
    Rule(
        "baby_unwell.en.not-breathing",
        B,
        (
            "not|isnt|stopped|stop|stops|wont|cant|cannot|can_not|isnt_really|barely"
            " ~1 breathing|breathe|breath|breathin|breating",
            "struggling|trouble|hard|fighting|working_hard ~2 breathe|breathing|breath",
            "cant|cannot|can_not ~1 catch_his_breath|catch_her_breath|catch_a_breath|get_air"
            "|get_his_breath|get_her_breath",
        ),
        negation="drop",
        unless_before="i|im|we|me",
        soften=("resolved", "cold"),
    ),
    Rule(
        "baby_unwell.en.gasping",
        B,
        (
            "gasping|gasps|gasped|grunting",
            "chest|ribs|belly|tummy|stomach|neck ~3 sucking|caving|pulling|sinking|retract*",
        ),
        negation="drop",
        soften=("resolved", "laughter"),
    ),
    Rule(
        "baby_unwell.en.choking",
        B,
        ("hes|shes|is|baby|he_is|she_is|its|keeps|started ~1 choking",),
        negation="drop",
        soften=("resolved",),
    ),
    Rule(
        "baby_unwell.en.blue",
        B,
        (
            "turning|turned|turn|turns|went|gone|going|goes|looks|looking|look|got ~1"
            " blue|grey|gray|purple|ashen|dusky|bluish|blueish",
            "lips|lip|face|skin|mouth|fingers|feet ~3 blue|grey|gray|purple|bluish|dusky|white",
            "blue|grey|gray|purple|bluish|dusky ~3 lips|lip|mouth|face",
        ),
        negation="drop",
        soften=("tantrum",),
        unless=("colour_source",),
    ),
    Rule(
        "baby_unwell.en.cant-wake-them",
        B,
        (
            "wont|cant|cannot|can_not|not|isnt|doesnt|unable_to|couldnt|hard_to ~1"
            " wake|waking|rouse|rousing ~1 him|her|them|baby|the_baby|my_baby|it",
        ),
        negation="drop",
        soften=("nap",),
    ),
    Rule(
        "baby_unwell.en.wont-wake",
        B,
        (
            "wont|doesnt|isnt|not|cant|cannot|wouldnt ~1 wake|waking|waken|rouse|respond"
            "|responding|responsive up?",
            "unresponsive|unconscious|passed_out|fainted|not_responding",
        ),
        negation="drop",
        unless_before="i|we|im",
        unless=("self_wake", "purpose"),
        soften=("nap",),
        unless_after=(
            "before|until|till|early|at|without|on_time|for_work|in_the_morning|on_weekends|to",
        ),
    ),
    Rule(
        "baby_unwell.any.limp",
        B,
        (
            "limp|floppy|lethargic|unresponsive|like_a_rag_doll|aguado|aguadito|aguadita"
            "|flacido|flacida|como_un_trapo|como_un_trapito|como_trapito|sin_fuerza",
        ),
        negation="drop",
        soften=("sleepy", "laughter"),
        unless_after=(
            "arm|arms|hand|hair|brazo|pelo|ears|orejas|with_laughter|from_laughing|de_la_risa"
            "|de_risa|with_laughing|laughing",
        ),
    ),
    Rule(
        "baby_unwell.en.seizure",
        B,
        (
            "seizure|seizures|seizing|seizured|convuls*|febrile|jerking|twitching"
            "|shaking_uncontrollably|arms_are_jerking|legs_are_jerking|body_is_jerking"
            "|eyes_rolling|eyes_are_rolling|eyes_rolled_back|rolling_back|eyes_rolling_back",
        ),
        negation="drop",
        soften=("elsewhere", "info"),
    ),
    Rule(
        "baby_unwell.en.fit",
        B,
        ("having|had|has|having_some_kind_of|some_kind_of ~3 fit|fits",),
        ambiguous=True,
        negation="drop",
        upgrade=("seizure_signs",),
        unless=("tantrum", "laughter", "because"),
    ),
    Rule(
        "baby_unwell.en.high-fever",
        B,
        (
            "high|very_high|really_high|spiking|spiked|super_high|raging ~1 @temp",
            "@temp ~4 #hot",
            "#hot ~2 @temp|degrees|f|c",
            "@fever ~3 wont|doesnt|not|isnt ~2 go_down|come_down|break|budge",
        ),
        negation="drop",
    ),
    Rule(
        "baby_unwell.en.fever-young",
        B,
        (
            "@young ~6 @fever",
            "@fever ~6 @young",
            "@young ~8 @temp ~3 #warm",
            "@young ~8 #warm ~2 de? @temp|grados|degrees|f|c",
            "@young ~4 tiene|has|is|at|of|with|a|temp|temperature|esta_en|con ~1 #warm",
            "@young ~4 #warm $|grados|degrees|c|f|de_fiebre|fever",
        ),
        negation="drop",
        unless=("vaccine",),
    ),
    Rule(
        "baby_unwell.en.fall-vomit",
        B,
        (
            "fell|fall|falls|fallen|falling|dropped|rolled_off|rolled_out|rolled_down|tumbled"
            "|slipped|hit_his_head|hit_her_head|bumped_his_head"
            "|bumped_her_head|hit_its_head|hit_their_head|banged_his_head|banged_her_head"
            " ~12 vomit*|throwing_up|threw_up|throw_up|thrown_up|puke*|puking|sleepy|drowsy"
            "|lethargic|not_acting_right|wont_stop_crying|passed_out|unconscious"
            "|isnt_acting_right|not_herself|not_himself|acting_strange|acting_weird",
        ),
        negation="drop",
        unless=("asleep",),
    ),
    Rule(
        "baby_unwell.any.fall-stairs",
        B,
        (
            "fell|fallen|tumbled|se_cayo|se_callo|cayo|rodo ~3 down_the_stairs|downstairs"
            "|de_las_escaleras|por_las_escaleras|from_the_stairs|off_the_changing_table"
            "|del_cambiador|from_the_counter|de_la_mesa|off_the_counter",
        ),
        ambiguous=True,
        negation="drop",
        unless=("resolved", "laughter"),
    ),
    Rule(
        "baby_unwell.en.swallowed",
        B,
        (
            "swallow*|ate|eaten|eat|drank|drunk|drink|got_into|chewed|licked ~3 battery"
            "|batteries|button_battery|magnet*|pill|pills|meds|medicine|medication|tablets"
            "|bleach|detergent|pod|pods|tide_pod|cleaner|poison|chemicals|vape|nicotine|coin"
            "|alcohol|vodka|antifreeze|weed|edible|edibles|cleaning|spray|cleaning_spray|windex"
            "|lysol|drain_cleaner|lye|lamp_oil|perfume|mouthwash|hand_sanitizer|sanitizer"
            "|laundry_pod|dishwasher_pod|dishwasher_tablet|essential_oil|essential_oils|cologne",
        ),
        negation="drop",
    ),
    Rule(
        "baby_unwell.en.bleeding",
        B,
        ("wont|doesnt|cant ~1 stop_bleeding", "bleeding_a_lot|lots_of_blood|so_much_blood"),
        negation="drop",
    ),
    Rule(
        "baby_unwell.es.no-respira",
        B,
        (
            "no|ya_no ~1 respira|respiraba|esta_respirando|puede_respirar",
            "dejo_de_respirar|deja_de_respirar|le_cuesta_respirar|respira_con_dificultad"
            "|silba_el_pecho|le_silba_el_pecho|le_chilla_el_pecho"
            "|se_esta_ahogando|se_ahoga|se_ahogo|le_falta_el_aire|casi_no_respira",
            "se_le_hunde|se_le_hunden|se_le_mete ~2 pecho|costillas|panza",
            "le_cuesta|le_cuesta_trabajo|tiene_dificultad_para|batalla_para|no_puede ~2 respirar",
            "respira ~2 rapido|rapidisimo|agitado|raro ~4 quejidos|quejando|se_queja|hunde"
            "|costillas|morado|azul|gris",
            "hace_quejidos|se_queja_al_respirar",
        ),
        negation="drop",
        soften=("resolved", "cold"),
    ),
    Rule(
        "baby_unwell.es.color",
        B,
        (
            "se_le_estan|se_le_esta|se_le_pusieron|se_le_puso|se_le_ponen ~1 poniendo? morado"
            "|morados|morada|moradas|azul|azules|gris|grises ~2 los_labios|la_boca|la_cara|$",
            "se_esta_poniendo|se_puso|se_pone|se_ve|se_volvio|esta_poniendo ~1 azul|morado|morada"
            "|gris|moradito|moradita|azulado|azulada|amoratado|amoratada",
            "labios|boca|cara|piel|unas|deditos ~3 azul|azules|morado|morados|morada|moradas"
            "|gris|grises|moradito|moraditos|azulados|amoratados",
        ),
        negation="drop",
        soften=("tantrum",),
        unless=("colour_source",),
    ),
    Rule(
        "baby_unwell.es.no-despierta",
        B,
        (
            "no|ya_no ~1 despierta|se_despierta|reacciona|responde|despertaba|reaccionaba",
            "no ~2 despertarlo|despertarla|despertar_a|lo_puedo_despertar|la_puedo_despertar"
            "|lo_despierto|la_despierto",
            "desmayado|desmayada|inconsciente|se_desmayo|no_tiene_fuerza",
        ),
        negation="drop",
        unless_before="para|sin|de",
        unless=("purpose",),
        soften=("nap",),
        unless_after=(
            "mensajes|mensaje|el_telefono|llamadas|whatsapp|a_mis|mis|antes|hasta|temprano"
            "|a_las|sin|tan_temprano|a_su|a_los|a_las|al_nombre|cuando_lo_llamo|en_las_noches"
            "|en_la_noche|de_noche|por_las_noches|en_la_madrugada|a_medianoche"
            "|cuando_la_llamo|cuando_le_hablo",
        ),
    ),
    Rule(
        "baby_unwell.es.convulsion",
        B,
        (
            "convulsion|convulsiones|convulsiona|convulsionando|convulsiono|convulsionar"
            "|ojos_en_blanco|se_le_van_los_ojos|ojos_para_atras|ojos_volteados"
            "|se_le_voltean_los_ojos|se_le_fueron_los_ojos|mueve_los_brazos_sin_control"
            "|sacudidas|espasmos|temblando_sin_control|tiembla_todo|tiembla_sin_parar"
            "|se_sacude_sin_control",
            "le_dio|le_dan|le_esta_dando|le_da ~1 un_ataque|ataques|un_ataquito",
        ),
        negation="drop",
        soften=("elsewhere", "info"),
        unless_after=("de_risa|de_tos|de_panico|de_celos|de_llanto|de_hipo|de_ansiedad",),
    ),
    Rule(
        "baby_unwell.es.fiebre-alta",
        B,
        (
            "@fever|temperatura ~1 muy|bien|super? alta|altisima|altota",
            "mucha|muchisima|demasiada ~1 @fever",
            "@fever ~4 no_se_le_baja|no_le_baja|no_baja|no_se_baja|no_se_le_quita|no_cede",
            "#hot ~2 de? @temp|grados",
        ),
        negation="drop",
    ),
    Rule(
        "baby_unwell.es.caida-vomito",
        B,
        (
            "se_cayo|se_callo|cayo|callo|se_golpeo|se_pego_en_la_cabeza|golpe_en_la_cabeza"
            "|se_dio_un_golpe|se_me_cayo|se_nos_cayo ~12 vomit*|devolvio|volvio_el_estomago"
            "|dormid*|somnolient*|no_deja_de_llorar|desmay*|no_reacciona|inconsciente"
            "|no_esta_actuando_normal|no_actua_normal|esta_raro|esta_rara|actuando_raro"
            "|no_es_el_mismo|no_es_la_misma",
        ),
        negation="drop",
        unless=("asleep",),
    ),
    Rule(
        "baby_unwell.es.trago",
        B,
        (
            "se_trago|trago|se_comio|comio|se_tomo|tomo|se_bebio|bebio|mordio|se_metio ~3"
            " pila|pilas|bateria|baterias|iman|imanes|pastilla*|medicina*|medicamento*|cloro"
            "|detergente|veneno|jabon|capsula|capsulas|quimico*|alcohol|moneda|limpiador"
            "|suavizante|insecticida|raticida",
            "pila|pilas|bateria|baterias|iman|imanes|pastilla*|capsula|capsulas|cloro|detergente"
            "|veneno|moneda|limpiador ~8 se_metio|se_trago|se_comio|a_la_boca|en_la_boca"
            "|se_lo_metio|se_la_metio|se_las_metio|se_los_metio",
        ),
        negation="drop",
    ),
    Rule(
        "baby_unwell.es.deshidratado",
        B,
        (
            "mollera_hundida|mollera_caida|se_le_hundio_la_mollera|caida_de_mollera"
            "|sunken_soft_spot|no_moja_panales|no_ha_mojado|no_wet_diapers",
            "no_deja_de_sangrar|sangra_mucho|mucha_sangre",
        ),
        negation="drop",
    ),
    # ---- thoughts of suicide or self-harm ------------------------------------------------
    Rule(
        "self_harm.en.kill-myself",
        S,
        (
            "kill|killing|kil|kiling|killed|murder|shoot|hang|hanging|drown|poison|unalive"
            "|unaliving ~1"
            " myself|my_self|meself|mysef",
            "suicide_myself",
        ),
        soften=("laughter",),
    ),
    Rule(
        "self_harm.en.end-my-life",
        S,
        (
            "end|ending|take|taking|took|finish|finishing ~1 my|my_own life|lives",
            "end|ending it_all|things|everything",
            "ending_it $",
            "end_it $",
        ),
        unless_after=("with|for|early|at",),
    ),
    Rule(
        "self_harm.en.want-to-die",
        S,
        (
            "want|wanna|wanting|wish|wishing|wished|going|ready|wanted|gonna|want_to_just|like_to"
            "|hope_i|praying_to|pray_to ~3 die|be_dead|not_exist|stop_existing|not_be_here"
            "|not_be_alive|disappear_forever|stop_living",
            "wish_i_was|wish_i_were|wish_i_could_be|wish_i_would ~1 dead|die|gone_forever",
            "wish_i_wasnt|wish_i_werent|wish_i_had_never_been|wish_id_never_been ~1 alive"
            "|here|born|around",
            "want|wish|wanna|hope|like ~6 sleep ~3 and? never|not ~1 wake_up|wake",
            "want|wish|wanna|hope|like ~8 never|not ~1 wake_up|wake_again|to_wake_up",
        ),
        soften=("laughter",),
        unless_after=(
            "of|from|laughing|laughter|inside",
            "my|her|his|the ~1 hair|hairs",
        ),
    ),
    Rule(
        "self_harm.en.dont-want-to-live",
        S,
        (
            "dont|do_not|never|no_longer|not ~2 want|wanna|wish to? live|be_alive|be_here"
            "|exist|go_on|wake_up|keep_living|be_around|be_on_this_earth|stay_alive",
            "no|dont_see_the|dont_see_a|whats_the|what_is_the|there_is_no|theres_no|lost_the"
            " ~1 point|reason ~2 in|of|to? living|live|life|going_on|be_alive|being_alive"
            "|being_here|staying_alive|existing|me_being_alive|me_living|staying",
            "might_as_well|may_as_well|id_rather|i_would_rather|rather ~1 be_dead|die|kill_myself"
            "|not_exist|not_be_here|not_be_alive",
            "cant|cannot|can_not ~1 go_on ~1 living",
        ),
        soften=("laughter",),
        unless_after=("early|at|before|for|till|until|so_early|to|with|in|here|there",),
    ),
    Rule(
        "self_harm.en.ways-to-die",
        S,
        (
            "ways|way|how|methods|method|painless|easiest|quickest ~2 to ~1 die|kill_myself"
            "|end_it|end_my_life|commit_suicide|not_wake_up|disappear_forever",
            "easy|easier|better|nicer|peaceful|simpler ~6 not_be_here|not_exist|not_be_alive"
            "|to_die|if_i_died|if_i_was_gone|to_disappear|to_not_wake_up|to_just_die",
            "counted|counting|saving|hoarding|stockpiling|collecting|lined_up|got_out|had ~3 my|the"
            "|all_my? pills|meds|tablets|sleeping_pills|painkillers ~3 out|up|$|and|tonight",
            "pills|meds|tablets ~4 out_and_counted|counted|counting|lined_up",
            "pastillas|pastis|medicinas|pildoras ~4 contando|conte|juntando|guardando|junte",
            "contando|juntando|guardando|junte ~3 las|mis|todas_las ~1 pastillas|pastis|medicinas",
            "if_i ~1 disappeared|died|was_gone|were_gone|wasnt_here|werent_here|vanished|was_dead"
            " ~4 nobody|no_one|noone|nobody_would|no_one_would|who ~2 notice|care|miss|cares",
        ),
    ),
    Rule(
        "self_harm.en.more-ways",
        S,
        (
            "want|wanna|going|gonna|ready|plan|planning|thinking_about|think_about"
            "|thought_about|thinking_of|decided_to|time_to ~3 end|ending it|things|everything"
            "|this|my_life|it_all|everything",
            "dont|wouldnt|do_not|would_not|doesnt|not|no_longer ~2 care|mind ~2 if_i|whether_i"
            "|if ~1 die|died|live|lived|wake_up|woke_up|dont_wake_up|didnt_wake_up|was_dead"
            "|were_dead",
            "hope_i|hoping_i|pray_i|praying_i|hopefully_i ~1 die|dont_wake_up|never_wake_up"
            "|dont_wake|die_in_my_sleep|get_hit|crash",
            "hope|wish|want|praying ~3 a_car|a_truck|a_bus|the_train|something|someone ~2 hits_me"
            "|hit_me|kills_me|kill_me|runs_me_over|run_me_over",
            "goodbye_letter|goodbye_letters|goodbye_note|suicide_note|suicide_letter"
            "|giving_away_my_things|giving_my_stuff_away|said_my_goodbyes|wrote_my_goodbyes",
            "sleep_forever|go_to_sleep_forever|sleep_and_never_wake_up",
            "dont|do_not ~1 deserve_to_live|deserve_to_be_alive|deserve_to_exist",
            "shouldnt|should_not ~1 be_alive|exist|be_here|have_been_born",
            "wish_i_was_never_born|wish_i_had_never_been_born|wish_id_never_been_born",
            "nobody|no_one|noone|nobody_would|no_one_would ~2 miss_me|would_miss_me"
            "|care_if_im_gone|care_if_i_die|notice_if_i_was_gone",
        ),
        soften=("laughter",),
        unless_after=("with_him|with_her|with_them|with|on_a|on_good|for_now|early|at|of_the",),
    ),
    Rule(
        "self_harm.any.thinking-of-dying",
        S,
        (
            "think|thinking|thought|thoughts|keep_thinking|dream|dreaming|fantasize|fantasizing"
            "|obsessing|obsessed|pienso|pensando|pense|pensamientos|sueno_con|fantaseo ~4 dying"
            "|die|suicide|killing_myself|kill_myself|morir|morirme|matarme|suicidarme|suicidio"
            "|my_death|mi_muerte|being_dead|estar_muerta|estar_muerto|ending_my_life",
            "slit|cut|cutting|slitting|slash ~1 my ~1 wrists|wrist|veins",
            "cortarme|abrirme|me_corte|me_corto ~1 las? venas|munecas|las_munecas",
            "life|my_life|living|la_vida|vivir|mi_vida ~3 isnt|is_not|not|no|ya_no|aint ~2 worth"
            "|vale_la_pena|worth_it|worth_living",
            "no_vale_la_pena_vivir|not_worth_living|no_vale_la_pena_seguir",
            "feel_like|felt_like|feeling_like ~1 dying|killing_myself|ending_it|ending_my_life",
            "no_tiene_sentido|no_le_veo_sentido|sin_sentido|no_tiene_caso|de_que_sirve ~3"
            " siga_viva|siga_vivo|seguir_viva|seguir_vivo|vivir|estar_viva|estar_vivo|que_yo_viva"
            "|que_siga|seguir_aqui|siga_aqui",
            "lista_para|listo_para|preparada_para|preparado_para|ready_to|prepared_to ~1 morir"
            "|morirme|die",
        ),
        soften=("laughter", "media"),
        unless_after=("laughing|of_laughter|de_risa|de_la_risa|of|de",),
    ),
    Rule(
        "self_harm.any.way-out",
        S,
        (
            "way_out|salida|escape|solution|solucion|answer|option|opcion ~6 dying|die|death"
            "|suicide|suicidio|morir|morirme|matarme|muerte|killing_myself|kill_myself",
            "knife|gun|pistol|razor|blade|rope|cuchillo|navaja|pistola|arma|cuerda|soga ~8 use"
            "|usarlo|usarla|usar|point|apuntar|apuntarme ~3 on_myself|at_myself|against_myself"
            "|contra_mi|conmigo|contra_mi_misma|contra_mi_mismo|a_mi_misma",
            "disappear|desaparecer|vanish ~2 permanently|forever|para_siempre|for_good"
            "|permanentemente|de_este_mundo",
        ),
        negation="ignore",  # "no way out but dying" is the crisis itself
        soften=("laughter",),
        unless_after=("from_the|de_la_casa|a_la|to_the",),
    ),
    Rule(
        "self_harm.any.leave-this-world",
        S,
        (
            "quiero|me_quiero|quisiera|want_to|wanna|ready_to|wish_i_could ~2 ir|irme|leave|go"
            " ~2 de_este_mundo|this_world|con_diosito|con_dios|al_cielo|to_heaven"
            "|be_with_god|be_with_my_mom|con_mi_mama|with_my_mom_in_heaven",
            "pills|pastillas|cuerda|rope|pistola|gun|arma|knife|cuchillo|razor|navaja ~3"
            " para_hacerlo|to_do_it|for_it|para_eso|to_end_it|para_acabar",
        ),
        soften=("laughter",),
    ),
    Rule(
        "self_harm.any.tired-of-living",
        S,
        (
            "tired|sick|cansada|cansado|harta|harto|exhausted ~2 of|de ~1 living|being_alive"
            "|life|vivir|la_vida|estar_viva|estar_vivo|existir|existing",
            "mejor|preferiria|prefiero|rather ~2 estar_muerta|estar_muerto|muerta|muerto|morirme"
            "|be_dead|dead|morir",
        ),
        soften=("laughter",),
        unless_after=("in_this_house|in_this_city|en_esta_casa|en_esta_ciudad|aqui|here|like",),
    ),
    Rule(
        "self_harm.any.at-the-edge",
        S,
        (
            "stood|standing|went|was|walked|sat|sitting ~2 on|to|at|by ~1 the? bridge|ledge"
            "|edge_of_the_roof|roof|tracks|railing|train_tracks",
            "me_pare|estuve|fui|me_sente|estaba_parada|estaba ~2 en|al|sobre|a ~1 la|el|las?"
            " puente|borde|orilla|azotea|vias|barandal",
            "want|quiero ~1 out|salir ~1 $|of_this_life|de_esta_vida|de_todo",
        ),
        ambiguous=True,
        upgrade=("first_person",),
        unless=("laughter", "joy"),
    ),
    Rule(
        "self_harm.any.a-plan",
        S,
        (
            "written_down|wrote_down|planned|figured_out|worked_out|escribi|planee|planeado"
            "|pensado|decidi|decided ~3 how|como|when|cuando ~2 id_do_it|i_would_do_it|lo_haria"
            "|hacerlo|to_do_it|i_will_do_it|i_could_do_it|lo_voy_a_hacer|voy_a_hacerlo|$",
        ),
        ambiguous=True,
        upgrade=("first_person",),
        soften=("laughter",),
    ),
    Rule(
        "self_harm.any.pills-in-sight",
        S,
        (
            "pills|meds|medicine|pastillas|frasco|medicinas|pastis ~8 keep_looking|looking_at"
            "|staring_at|stare_at|no_dejo_de_verlo|no_dejo_de_verlas|mirando|viendolas"
            "|no_dejo_de_mirar",
        ),
        ambiguous=True,
    ),
    Rule(
        "self_harm.en.make-it-stop",
        S,
        (
            "want|wish|need|just_want ~3 it_all|everything|life|the_pain|it|this|all_of_it"
            " ~1 to_stop|to_end|to_be_over|over|gone",
            "quiero|quisiera|necesito ~2 que ~1 todo|esto|el_dolor|la_vida ~1 pare|termine"
            "|se_acabe|se_termine|acabe",
        ),
        ambiguous=True,
        upgrade=("permanent",),
        soften=("laughter",),
    ),
    Rule(
        "self_harm.en.better-off-without-me",
        S,
        (
            "better_off|be_better|happier ~2 without_me|if_i_was_gone|if_i_were_gone"
            "|if_i_wasnt_here|if_i_was_dead|if_i_were_dead|if_i_died",
            "better_off_dead",
            "easier|better|mas_facil|mejor ~3 for_everyone|para_todos|for_everybody|for_them"
            "|para_ellos ~2 if_i|si_yo|si ~2 was_dead|were_dead|died|estuviera_muerta"
            "|estuviera_muerto|me_muriera|no_estuviera|wasnt_here|was_gone|me_fuera",
            "happier|better|better_off|fine|okay|ok ~2 if_i ~2 disappeared|was_gone|died|wasnt_here"
            "|were_gone|was_dead|left_forever|killed_myself|wasnt_around",
        ),
    ),
    Rule(
        "self_harm.en.suicidal",
        S,
        ("suicidal|suicidial|sucidal|suicidle|suicidality", "suicide_thoughts|kill_thoughts"),
        soften=("media",),
    ),
    Rule(
        "self_harm.en.suicide-mention",
        S,
        ("suicide|suicides|sucide|suicde|suiside",),
        ambiguous=True,
        upgrade=("first_person",),
        soften=("media",),
    ),
    Rule(
        "self_harm.any.signs",
        S,
        (
            "been|started|start|keep|kept|relapsed|relapse|back_to|ive_been|i_keep ~2 cutting"
            "|self_harming|burning_myself ~1 again|myself|lately|$|every_night|every_day",
            "how_many|cuantas|how_much|cuanto|cuantos ~1 pills|pastillas|tablets|meds|medicinas"
            "|tylenol|paracetamol|pastis|pildoras ~5 take|to_die|to_kill|para_morir|para_matarme"
            "|se_necesitan|it_would_take|would_it_take|would_kill|es_mortal|to_overdose",
            "cant_promise|can_not_promise|cannot_promise|no_te_prometo|no_prometo|not_sure_ill"
            "|no_se_si_voy_a ~4 be_here|be_alive|still_be_here|siga_aqui|siga_viva|siga_vivo"
            "|este_aqui|seguir_aqui|estar_aqui|still_be_around",
        ),
        negation="ignore",
        soften=("laughter",),
        unless_after=("coupons|paper|hair|pelo|the|la|el|his|her",),
    ),
    Rule(
        "self_harm.en.hurt-myself",
        S,
        (
            "hurt|hurting|harm|harming|cut|cutting|burn|burning|punish|punishing|starve"
            "|starving|hit|hitting ~1 myself|my_self|meself",
            "self_harm|selfharm|self_harming|self_harmed",
        ),
        soften=("laughter",),
        unless_after=(
            "on|shaving|cooking|by_accident|accidentally|with_the|while|in_the_kitchen"
            "|chopping|lifting|carrying|at_work|playing|opening|slightly|a_bit|a_little",
        ),
    ),
    Rule(
        "self_harm.en.overdose",
        S,
        (
            "take|taking|swallow|swallowing|swallowed|took|down ~2 all|all_of|a_whole_bottle_of"
            "|the_whole|a_bunch_of|a_lot_of|too_many|a_handful_of|loads_of|lots_of ~2 pills|meds"
            "|medication|tablets|bottle|pill|sleeping_pills|painkillers|antidepressants|insulin"
            "|tylenol|advil|ibuprofen|paracetamol|medications|prescription|meds_at_once",
            "overdose|overdosing|od_on",
            "hoping|hope|hoped|so|so_that|wishing ~3 i_wouldnt_wake_up|i_wont_wake_up"
            "|i_dont_wake_up|not_to_wake_up|i_never_wake_up|wouldnt_wake_up|i_would_not_wake_up"
            "|i_wouldnt_wake|i_die|i_would_die|i_wouldnt_make_it",
        ),
        unless_after=(
            "on|de ~1 coffee|chocolate|sugar|cake|caffeine|cafe|azucar|pastel|cafeina|love|amor"
            "|cuteness|ternura|tv|netflix|sleep|sueno|cookies|galletas",
        ),
    ),
    Rule(
        "self_harm.en.jump",
        S,
        (
            "jump|jumping|jumped|throw_myself|throwing_myself|step|stepping|walk ~2"
            " off|in_front_of|from|into ~3 bridge|train|roof|building|car|truck|cliff"
            "|window|balcony|traffic|highway|river|tracks|bus|overpass|freeway|parking_garage"
            "|garage|dam|ledge",
            "want|wanna|thinking|thought|wish|urge|going|feel_like|tempted|think_about ~3 drive"
            "|driving|crash|crashing|swerve|swerving ~3 off|into ~3 bridge|wall|tree|river|cliff"
            "|lake|traffic|pole|truck|oncoming",
        ),
    ),
    Rule(
        "self_harm.es.matarme",
        S,
        (
            "matarme|suicidar*|me_suicido|quitarme_la_vida|quitar_mi_vida|acabo_con_todo"
            "|acabo_con_mi_vida|termino_con_todo|voy_a_acabar_con_todo|voy_a_acabar_con_mi_vida"
            "|me_quiero_matar|me_voy_a_matar|me_quiero_suicidar|quitar_la_vida|quitar_mi_propia_vida"
            "|me_quiero_colgar|me_voy_a_colgar|colgarme|me_quiero_ahorcar"
            "|acabar_con_mi_vida|terminar_con_mi_vida|acabar_con_todo|terminar_con_todo"
            "|quitarme_de_en_medio|me_quito_la_vida|pensamientos_suicidas|ideas_suicidas"
            "|suicida|suicidas|autolesion*|lesionarme|ahorcarme|me_!mato|mejor_me_!mato",
        ),
        soften=("laughter",),
        unless=("partner_threat", "partner_does"),
        unless_after=(
            "de_risa|de_la_risa|si|estudiando|trabajando|el|la|los|las|a_carcajadas|del_cansancio",
        ),
    ),
    Rule(
        "self_harm.es.me-ahorco",
        S,
        ("me_!ahorco|me_voy_a_ahorcar|me_quiero_ahorcar",),
        soften=("laughter",),
        unless=("partner",),
    ),
    Rule(
        "self_harm.es.suicidio",
        S,
        ("suicidio|suicidios|suisidio",),
        ambiguous=True,
        upgrade=("first_person",),
        soften=("media",),
    ),
    Rule(
        "self_harm.es.quiero-morir",
        S,
        (
            "=quiero|quisiera|=queria|ganas_de|deseo|deseaba|me_quiero|me_quisiera|=queria"
            "|me_queria|prefiero ~2 morir|morirme|estar_muerta|estar_muerto|dejar_de_existir"
            "|no_existir|no_despertar|no_despertarme|no_volver_a_despertar|nunca_despertar"
            "|desaparecer_para_siempre|irme_para_siempre|ya_no_estar",
            "ojala ~3 no_despertar|morir|morirme|estar_muerta|estar_muerto|no_existir"
            "|no_haber_nacido|me_muera|me_muriera|no_despierte|no_despertarme",
            "=quiero|quisiera|ganas|ojala ~5 no ~1 despertar|despertarme|volver_a_despertar",
        ),
        soften=("laughter",),
        unless=("embarrassed",),
        unless_after=(
            "de ~1 risa|verguenza|sueno|hambre|amor|ternura|ganas|calor|frio|cansancio"
            "|pena|emocion|nervios|envidia|felicidad|alegria|gusto",
            "por ~1 verla|verlo|ver|conocer|que",
        ),
    ),
    Rule(
        "self_harm.es.no-quiero-vivir",
        S,
        (
            "no|ya_no ~1 =quiero|quisiera|=puedo|deseo|aguanto vivir|seguir_viviendo"
            "|estar_viva|estar_vivo|estar_aqui|estar_en_este_mundo|existir|seguir_viva"
            "|seguir_vivo|seguir_en_este_mundo|estar_en_esta_vida|seguir_aqui|seguir_con_vida"
            "|estar_mas_aqui|despertarme|volver_a_despertar",
            "no|ya_no =quiero|quisiera seguir $|aqui|viviendo|en_este_mundo|con_vida|mas",
            "no|ya_no =quiero|quisiera|deseo despertar",
            "no ~1 merezco|mereceria|deberia|debi ~1 vivir|existir|estar_viva|estar_vivo|nacer"
            "|haber_nacido|estar_aqui",
            "ojala|quisiera ~1 no_haber_nacido|nunca_haber_nacido|no_hubiera_nacido",
            "nadie|nadien ~2 me_extranaria|se_daria_cuenta|notaria|me_va_a_extranar"
            "|me_echaria_de_menos",
            "no_me_importaria|me_da_igual|me_daria_igual|no_me_importa ~2 morirme|morir|si_me_muero"
            "|si_me_muriera|vivir_o_morir",
            "ojala ~2 me_muera|me_pase_algo|me_atropelle|me_atropellen|no_despierte|me_muriera",
            "quiero|quisiera ~1 dormir|dormirme ~1 para_siempre",
            "carta|nota|cartas ~1 de_despedida|suicida",
            "me_despedi_de|despedirme_de ~3 mis_hijos|mi_hijo|mi_hija|mis_hijas|todos|mi_familia",
            "quiero|quisiera|deseo ~2 que ~1 todo|esto|ya|la_vida ~2 se_acabe|se_termine|termine"
            "|acabe|se_acabe_todo ~1 para_siempre|ya|de_una_vez|$",
            "no_le_veo|no_tiene|sin|no_hay|no_encuentro|perdi_el ~1 sentido|razon|razones"
            " ~3 vida|vivir|seguir_viviendo",
            "estarian|estaria|estaran|estan|vivirian|seria|serian|viviria|estara ~3 mejor|bien"
            "|felices|tranquilos|tranquilas"
            " ~2 sin_mi|sin_mi_misma|si_yo_no_estuviera|si_me_muero|si_me_muriera"
            "|si_yo_no_existiera|si_no_existiera|si_yo_muriera|si_me_fuera|si_yo_no_estoy"
            "|si_desapareciera|si_yo_desapareciera|si_no_estuviera|si_me_matara",
            "nadie|a_nadie ~2 le_importaria|importaria|me_extranaria|notaria|le_importa ~2"
            " si_me_matara|si_me_muriera|si_me_muero|si_desapareciera|si_me_voy|si_me_mato",
            "querer ~1 morir|morirse|morirme|matarme|matarse|desaparecer|suicidarse",
            "planeando|planeo|planear|planning|plan|planned|planee ~2 mi_suicidio|my_suicide"
            "|suicidio|suicide|matarme|quitarme_la_vida|my_death|mi_muerte|como_matarme",
        ),
        soften=("laughter",),
        unless=("wake_other",),
        unless_after=(
            "temprano|a_las|hoy|tan_temprano|con|en_esta_casa|aqui|dando|amamantando|trabajando"
            "|en_el|en_la|haciendo|estudiando|pagando",
        ),
    ),
    Rule(
        "self_harm.es.hacerme-dano",
        S,
        (
            "hacerme_dano|lastimarme|cortarme|hacerme_algo|quemarme|pegarme|me_lastimo"
            "|me_hago_dano|me_hice_dano|golpearme",
            "me ~1 !corto|corte|cortaba|cortando|!quemo",
            "me_volvi_a_cortar|me_volvi_a_lastimar|me_he_vuelto_a_cortar|me_sigo_cortando"
            "|me_estoy_cortando|me_he_cortado|volvi_a_cortarme|volvi_a_lastimarme",
        ),
        soften=("laughter",),
        unless=("partner_does",),
        unless_before="se|te|le",
        unless_after=(
            "cocinando|con_el_cuchillo|sin_querer|el_pelo|el_cabello|las_unas|el_fleco"
            "|el_flequillo|el_dedo|picando|la_mano|la_espalda|el_pie|con|cargando|jugando"
            "|con_el_calentador|en_la_cocina|por_accidente|un_poco",
        ),
    ),
    Rule(
        "self_harm.es.pastillas",
        S,
        (
            "tomarme|tomar|tragarme|tragar|me_tome|me_tomo|me_trago|me_voy_a_tomar ~2"
            " todas|toda|todo|todos|un_frasco|el_frasco|un_monton ~3 pastillas|pastis|medicinas"
            "|medicamentos|frasco|pildoras|tabletas|antidepresivos|pastillas_para_dormir|insulina"
            "|paracetamol|ibuprofeno|medicamento",
            "sobredosis",
            "esperando|para|con_la_esperanza_de|ojala|a_ver_si ~2 no_despertar|no_despertarme"
            "|ya_no_despertar|morirme|no_volver_a_despertar|ya_no_despierte|no_despierte",
        ),
        unless_after=(
            "on|de ~1 coffee|chocolate|sugar|cake|caffeine|cafe|azucar|pastel|cafeina|love|amor"
            "|cuteness|ternura|tv|netflix|sleep|sueno|cookies|galletas",
        ),
    ),
    Rule(
        "self_harm.es.tirarme",
        S,
        (
            "aventarme|tirarme|lanzarme|arrojarme|me_aviento|me_tiro|me_lanzo|botarme|estrellarme"
            "|chocarme|atravesarme|echarme_encima|meterme_debajo"
            "|me_quiero_aventar|me_voy_a_aventar|me_quiero_tirar|me_voy_a_tirar|me_quiero_lanzar"
            "|me_voy_a_lanzar|me_quiero_arrojar ~5"
            " puente|vias|tren|metro|edificio|ventana|balcon|carro|camion|azotea|precipicio"
            "|rio|vacio|carretera|barranco|techo|mar",
        ),
    ),
    # ---- fear of harming the child, or having harmed them --------------------------------
    Rule(
        "harm_child.en.hurt-the-baby",
        H,
        (
            "i|ill|id|im|i_am|me|i_will|i_might|myself|want|wanna|going|urge|urges|feel_like"
            "|thoughts|thought|thinking|images|picturing|imagining|intrusive|might|could"
            " ~4 @harm_en @kid",
        ),
        unless=("other_agent",),
        soften=("laughter",),
        unless_after=("@body", "with_a_pillow_lol|by_accident|accidentally|off"),
    ),
    Rule(
        "harm_child.en.i-did",
        H,
        ("i ~8 shook|slapped|smacked|punched|spanked|choked|smothered|strangled|hit|beat @kid",),
        unless=("other_agent",),
        unless_after=("@body", "by_accident|accidentally|off"),
    ),
    Rule(
        "harm_child.en.hit-body",
        H,
        (
            "i ~6 slapped|smacked|hit|punched|kicked|shook|shoved ~1 my_babys|the_babys|my_sons"
            "|my_daughters|his|her|its ~1 face|head|cheek|mouth|arm|leg|legs|bottom|butt|back"
            "|hand|hands",
        ),
        ambiguous=True,
        upgrade=("harsh", "monster", "kid_es"),
        unless=("accident", "other_agent"),
    ),
    Rule(
        "harm_child.en.rough",
        H,
        (
            "i|ill|id|im|i_am|me|i_will|i_might|want|wanna|going|urge|urges|feel_like"
            "|thoughts|thought|thinking|images|picturing|imagining|intrusive ~4 @rough_en @kid",
            "i ~4 threw|throw|hurled|chucked ~4 at @kid",
            "i ~4 held|hold|holding|pinned|pin @kid down",
        ),
        ambiguous=True,
        upgrade=("harsh",),
        unless_after=(
            "off ~1 at|with|to|for|in|$",
            "in_the_air|up|up_in_the_air|a_ball|the_ball|a_kiss|kisses|at_daycare"
            "|a_party|a_birthday|a_smile|a_look|cheeks|cheek|a_hug|into_the_pool|gently|hand",
        ),
    ),
    Rule(
        "harm_child.en.urge-to-throw",
        H,
        (
            "feel_like|want_to|wanna|urge_to|urges_to|wanted_to|tempted_to ~1 throwing|throw"
            "|drop|dropping|toss|tossing|slam|slamming ~1 @kid",
        ),
        unless=("other_agent",),
        unless_after=("in_the_air|up|a_ball|the_ball|a_party|off|into_the_pool",),
    ),
    Rule(
        "harm_child.en.what-i-might-do",
        H,
        (
            "what_i_might|what_i_could|what_i_will|what_i_would|what_ill|what_id|what_im_going_to"
            "|what_i_may ~1 do ~2 to? @kid|$",
            "scared|afraid|terrified|frightened ~1 of myself",
            "dont|cant|do_not|cannot ~1 trust_myself ~3 with|alone_with|around|near @kid|alone",
            "scared|afraid|terrified|miedo|me_da_miedo ~2 to_be_alone|of_being_alone|quedarme_sola"
            "|quedarme_solo|estar_sola|estar_solo ~1 with|con ~1 @kid|@kid_es|el|ella",
            "hand|hands|pillow|blanket|towel ~1 over|on ~1 his|her|the_babys|its|their"
            " ~1 mouth|face|nose",
            "covered|cover|covering|held|clamped|clamp|covered_up ~1 his|her|their|the_babys"
            " ~1 mouth|nose",
        ),
        unless_after=("with_kisses|from_the_sun|with_sunscreen|with_a_hat|when_he_sneezed",),
    ),
    Rule(
        "harm_child.es.lastimar",
        H,
        (
            "miedo|ganas|=quiero|quisiera|pienso|pensamientos|pensando|pense|voy|podria|impulso"
            "|me_veo|me_imagino|imagino|me_asustan|asustan|me_asusta|queria|quise|tenia_ganas"
            "|aterra|me_aterra|me_da_panico|me_preocupa|preocupa|me_preocupa_que"
            "|siento_que|tentacion|casi|terror|idea|ideas|imagino|imaginando|quiero|tentada"
            " ~4 lastimar|lastimarlo|lastimarla|hacerle_dano|hacerle_algo|hacer_dano|hacer_algo"
            "|pegarle|sacudir|sacudirlo|sacudirla|aventarlo|aventarla|tirarlo|tirarla|ahogarlo"
            "|ahogarla|asfixiarlo|asfixiarla|golpearlo|golpearla|zarandearlo|zarandearla"
            "|matarlo|matarla|estrangularlo|estrangularla|ahorcarlo|ahorcarla|lastimar_al"
            "|lastimar_a|zarandear|apretarlo|apretarla|sofocarlo|sofocarla|dejarlo_caer"
            "|dejarla_caer|soltarlo|soltarla|lastimandolo|lastimandola|haciendole_dano"
            "|sacudiendolo|sacudiendola|pegandole|ahogandolo|ahogandola|asfixiandolo|asfixiandola"
            "|ahorcandolo|ahorcandola|estrangulandolo|estrangulandola|tirandolo|tirandola"
            "|aventandolo|aventandola|golpeandolo|golpeandola",
            "lastim*|hacerle_dano|sacud*|zarande* ~2 @kid_es",
            "aventar|ahogar|asfixiar|tirar|golpear|ahorcar|estrangular|lastimar|sacudir|pegarle"
            "|zarandear ~2 a|al ~1 mi? @kid_es",
            "jalandola|jalandolo|jaloneandola|jaloneandolo|arrastrandola|arrastrandolo ~2"
            " del_brazo|del_pelo|de_los_brazos|de_la_pierna|del_cuello",
            "miedo|terror ~6 lo_que ~3 hacer|hacerle",
            "miedo|terror|panico ~2 de ~1 mi_misma|mi_mismo",
            "no ~1 confio|me_fio ~1 en_mi|de_mi ~6 @kid_es|sola_con|solo_con|alone",
        ),
        unless=("other_agent",),
        soften=("laughter",),
    ),
    Rule(
        "harm_child.es.dejar-caer",
        H,
        (
            "lo|la ~1 dejo_caer|deje_caer|solte|suelto|dejaba_caer ~3 a_proposito|adrede"
            "|de_proposito|fuerte|contra",
        ),
    ),
    Rule(
        "harm_child.any.i-might-do-something",
        H,
        (
            "ill|i_will|i_might|i_could|i_would|id|im_going_to|i_may ~2 do_something"
            "|do_something_bad|snap|lose_it|lose_control ~4 to? @kid",
            "lo|la|le ~1 puedo|podria|voy_a|vaya_a|quiero|quisiera|pueda|pudiera ~1 lastimar"
            "|sacudir|ahogar|golpear|pegar|aventar|tirar|hacer_dano|hacer_algo|asfixiar",
        ),
        unless=("other_agent",),
    ),
    Rule(
        "harm_child.es.lo-sacudi",
        H,
        (
            "lo|la|le ~1 sacudi|zarandee|zarandie|sacudo|jalonee|jalonie|sacudiste|apachurre",
            "le_pegue|yo_le_pegue|le_di_un_golpe|le_pego_yo ~4 @kid_es",
            "le_puse|le_pongo|puse|quise_ponerle ~2 almohada|cobija|mano|cojin|toalla|almohadita"
            " ~3 en_la_cara|sobre_la_cara|en_la_boca|sobre_la_boca|la_cara|la_boca|cara",
            "le_tape|le_tapo|le_cubri|le_puse_la_mano|le_puse_la_almohada|taparle|quise_taparle"
            "|ganas_de_taparle ~2 la_boca|la_nariz"
            "|la_cara|boca|nariz|cara|sobre_la_cara",
            "azote|estrelle|azoto ~2 al|a_mi|a_la|a ~1 @kid_es",
            "lo|la ~1 tire|aviente|avente|bote|azote|aviento|tiro|azoto|estrello|estrelle"
            " ~5 fuerte|pared|contra|suelo|piso|cuna|cama",
        ),
        unless_after=(
            "@body|la_alfombra|el_polvo|la_ropa|las_sabanas|la_cobija|la_bola|la_sonaja"
            "|el_sonajero|la_maraca|la_botella|las_migas|la_arena|el_juguete|los_juguetes"
            "|el_frasco|la_nieve|el_agua",
        ),
    ),
    Rule(
        "harm_child.es.le-di",
        H,
        (
            "le_di|le_solte|le_meti|le_pegue ~2 cachetada*|bofetada*|nalgada*|golpe|golpes"
            "|manotazo*|manazo*|chanclazo*|cinturonazo*|pellizco*|zape|zapes|coscorron*",
            "le|lo|la ~1 pellizque|pellizco|apreto|aprete|apreté|jale|jalé|mordi|muerdo|sujete"
            "|sostuve|agarre|apachurre",
            "le_deje|deje|le_hice ~1 moretones|marcas|moreton|un_moreton ~5 @kid_es",
            "avente|aviente|tire|lance|arroje|empuje|jalonee|avente_a|tire_a|aprete|apreto"
            "|asfixio|asfixie|ahogue|ahogo|sofoque"
            "|sacudi|zarandee ~5 @kid_es",
        ),
        ambiguous=True,
        upgrade=("harsh", "kid_es", "monster"),
    ),
    Rule(
        "harm_child.es.le-pegue",
        H,
        ("le_pegue|yo_le_pegue",),
        ambiguous=True,
        upgrade=("harsh", "kid_es", "monster"),
        unless_after=(
            "la|el|los|las|una_foto|un_papel|una_etiqueta|con_cinta|un_sticker|la_gripa",
        ),
    ),
    # ---- violence or fear at home --------------------------------------------------------
    Rule(
        "violence_home.any.partner-hurts",
        V,
        (
            "@partner ~6 @hit_en me|us|@kid|my_head|my_face|my_neck|my_throat|my_body|my_arm"
            "|my_arms|my_hair|my_belly|my_stomach",
            "@partner ~6 me|nos ~2 @hit_es",
            "@partner ~6 le|lo|la|los ~1 pego|pega|golpea|golpeo|sacude|sacudio|lastima"
            "|lastimo|maltrata|avento ~2 @kid_es",
            "@partner ~4 forc*|made ~1 me ~4 sex|to_have_sex|sleep_with",
            "@partner ~6 raped|rapes|rape ~1 me",
            "@partner ~6 put|wrapped|had|puso|pone|ponia|squeezed ~2 hands|manos|hand|mano ~3"
            " around_my_neck|on_my_neck|around_my_throat|en_el_cuello|en_mi_cuello"
            "|alrededor_de_mi_cuello|en_la_garganta",
            "@partner ~6 threw|throws|hurled|throwing|chucked ~3 chair|plate|plates|glass|bottle"
            "|knife|phone|shoe|things|stuff|pan|objects|cup|mug|bottles|furniture ~1 at ~1 me|us"
            "|@kid",
            "@partner ~6 me|nos ~1 avento|aviento|tiro|lanzo|arrojo|avienta|tira|lanza ~2 silla"
            "|plato|platos|cosas|vaso|botella|zapato|celular|telefono|cuchillo|sarten|olla"
            "|objetos|sillas|vasos|botellas",
            "@partner ~4 forced_himself|forced_herself|forces_himself|forces_herself ~1 on|onto"
            " ~1 me",
            "bruises|bruised|marks|black_eye|black_eyes|moretones|marcas|golpes ~8 from|because_of"
            "|por|de|que_me_dejo|que_me_hizo ~1 @partner",
            "@partner ~6 me ~1 empezo_a|comenzo_a|se_puso_a|volvio_a ~1 golpear|pegar|patear"
            "|ahorcar|empujar|cachetear|maltratar",
            "@partner ~8 pegarme|golpearme|lastimarme|matarme|ahorcarme|hacerme_dano|violarme"
            "|madrearme|quemarme",
            "@partner ~6 broke|fractured|bruised|busted|split|cracked|dislocated ~1 my ~1 nose"
            "|arm|rib|ribs|jaw|wrist|finger|fingers|tooth|teeth|lip|head|eye|face|skull",
            "@partner ~6 gave_me|left_me_with ~1 a_black_eye|black_eye|bruises|a_bruise",
            "@partner ~6 me ~1 rompio|fracturo|reviento|lastimo ~1 la|el ~1 nariz|brazo|costilla"
            "|costillas|mandibula|muneca|dedo|diente|dientes|labio|cabeza|ojo|cara",
            "@partner ~6 me_dejo ~1 el_ojo_morado|un_ojo_morado|moretones|moreteada|marcas",
        ),
        negation="drop",
        unless=("past",),
        unless_after=(
            "la|el|los|las ~1 gripa|gripe|gripita|resfriado|resfrio|tos|virus|covid|varicela"
            "|piojos|mania|costumbre|cancion|chicle|calcomania|etiqueta|estampa|estampita"
            "|enfermedad|infeccion|bicho",
            "un|una ~1 susto|sustote|calcomania|etiqueta|resfriado|virus|gripa|gripe|cancion"
            "|estampa|chicle|curita|grito|regano|sermon",
            "at|in_a|in_scrabble|in_cards|to_it|to_the|in_chess|at_chess|at_cards|to|into_taking"
            "|to_take|to_go|to_rest|to_sleep",
            "a ~1 tomar|dormir|descansar|ir|salir|hacer|buscar|pedir|intentar|comer|cuidarme",
            "a|en ~1 las_cartas|ajedrez|scrabble|uno",
        ),
    ),
    Rule(
        "violence_home.en.pronoun-hits",
        V,
        (
            "he|she|hes|shes|they ~2 @hit_en me|us",
            "he|she|they ~2 beat|beats ~1 me ~1 up",
        ),
        ambiguous=True,
        negation="drop",
        upgrade=("adult",),
        unless=("toddler", "past", "accident"),
        unless_after=("at|in_a|to_it|to_the|with_his|with_her|with_a|by_accident|away|aside",),
    ),
    Rule(
        "violence_home.en.pronoun-strangles",
        V,
        (
            "he|she|they ~2 choked|chokes|choking|strangl*|raped|rapes|suffocated|stabbed"
            " ~1 me|my_neck|my_throat",
        ),
        negation="drop",
        unless=("toddler", "accident"),
    ),
    Rule(
        "violence_home.es.me-pega",
        V,
        ("me ~2 @hit_es",),
        ambiguous=True,
        negation="drop",
        upgrade=("adult",),
        unless=("toddler", "past", "accident"),
        unless_before="se|te|le",
        unless_after=(
            "la|el|los|las ~1 gripa|gripe|gripita|resfriado|resfrio|tos|virus|covid|varicela"
            "|piojos|mania|costumbre|cancion|chicle|calcomania|etiqueta|estampa",
            "un|una ~1 susto|sustote|calcomania|etiqueta|resfriado|virus|gripa|gripe|cancion"
            "|estampa|chicle",
            "con_el|con_la|con_su|con_sus|sin_querer|jugando|para|para_que",
            "un|unos ~1 grito|gritos|regano|sermon|jalon_de_orejas",
            "a ~1 tomar|dormir|descansar|ir|salir|hacer|buscar|pedir|intentar|comer|cuidarme",
        ),
    ),
    Rule(
        "violence_home.any.family-hurts",
        V,
        ("@family_adult ~4 @hit_en me|us", "@family_adult ~4 me|nos ~1 @hit_es"),
        negation="drop",
        unless=("past",),
        unless_after=(
            "at|in_a|to_it|to_the",
            "la|el|un|una|unos ~1 gripa|gripe|resfriado|tos|virus|susto|mania|costumbre|grito"
            "|gritos|regano|sermon",
        ),
    ),
    Rule(
        "violence_home.any.threat",
        V,
        (
            "@partner ~6 said|says|told|threat*|swore|swears|dijo|dice|amenaz*|juro|jura ~5"
            " kill|hurt|murder|stab|shoot|strangle|beat|burn|matar|matarme|me_va_a_matar|me_mata"
            "|lastimarme|apunalarme|apunalar|balearme|quemarme|pegarme|me_mataba|me_mataria"
            "|matarnos|matarlos|matar_al_bebe|matar_a_los_ninos|matar_a_mi_hijo"
            "|me_matara|nos_mataba|nos_mataria|me_iba_a_matar|nos_iba_a_matar|take_the_baby"
            "|take_the_kids|take_my_baby|quitarme_al|quitarme_a|llevarse_a|llevarse_al|muerte",
            "@partner ~6 me ~1 amenazo|amenaza|amenazaba ~2 de_muerte|con_matarme|con_un"
            "|con_quitarme|con_llevarse|con_lastimar",
        ),
        negation="drop",
    ),
    Rule(
        "violence_home.en.scared-they-hurt",
        V,
        (
            "scared|afraid|worried|terrified|fear ~2 he|she|hell|shell|hes|shes|he_will|he_might"
            "|he_is_going_to|she_will ~2 hurt|kill|hit|take|hurts|hits ~1 @kid|me|us",
            "miedo|terror|panico ~2 de_que|que ~2 lastime|lastimen|le_pegue|le_peguen|le_haga"
            "|me_pegue|me_mate|me_lastime ~2 @kid_es|a_mi|$",
        ),
        negation="drop",
        upgrade=("adult",),
        ambiguous=True,
        unless=("toddler_only",),
    ),
    Rule(
        "violence_home.any.pronoun-threat",
        V,
        (
            "he|she|hes|shes|they ~2 says|said|told_me|threatens|threatened|swears|swore"
            "|keeps_saying ~3 kill|murder|stab|shoot|strangle ~1 me|us",
            "dice|dijo|me_dijo|jura|juro|me_amenaza|me_amenazo|amenaza|amenazo ~2 que? ~1"
            " me_va_a_matar|va_a_matarme|me_mata|matarme|con_matarme|me_matara",
            "dice|dijo|me_dijo|jura|juro|amenaza|amenazo ~6 nos_mata|nos_va_a_matar|nos_mataria"
            "|me_mataria|los_mata|mata_a_los_ninos|me_mata|me_va_a_matar",
            "says|said|told_me|threatens|threatened|swears ~6 hell|he_will|he_would|hed|shell"
            " ~1 kill ~1 me|us|the_kids|the_baby",
            "he|she|hes ~2 stalking|stalks|following|follows ~1 me",
            "me ~1 persigue|acosa|acecha|sigue_a_todos_lados",
        ),
        negation="drop",
        soften=("laughter",),
        unless=("toddler_only",),
    ),
    Rule(
        "violence_home.any.threat-plain",
        V,
        (
            "@partner ~5 will|gonna|going_to|ll|is_going_to|wants_to|want_to|tried_to|trying_to"
            " ~1 kill|murder|strangle|choke ~1 me",
            "@partner ~4 me_va_a_matar|va_a_matarme|me_quiere_matar|quiere_matarme"
            "|me_intento_matar|intento_matarme|me_trato_de_matar",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=("if|si|cuando_vea|when_he_sees|when_she_sees",),
    ),
    Rule(
        "violence_home.any.scared-of-partner",
        V,
        (
            "scared|afraid|terrified|frightened|fear|fearful|scare ~1 of|about ~2 @partner",
            "@partner ~3 scares|frightens|terrifies|scared|terrified ~1 me",
            "@partner ~7 im_scared|i_am_scared|im_afraid|i_am_afraid|im_terrified"
            "|i_am_terrified|i_fear|im_frightened|scared_for_my_life",
            "afraid|scared|terrified|frightened ~1 to_go_home|of_going_home|to_go_back_home",
            "miedo|terror|panico|pavor|panico ~3 @partner",
            "@partner ~7 me_da_miedo|me_asusta|me_aterra|le_tengo_miedo|tengo_miedo"
            "|me_da_terror|me_da_panico|me_tiene_amenazada",
            "miedo|terror ~3 volver_a_casa|volver_a_la_casa|ir_a_casa|llegar_a_casa|regresar"
            "_a_casa",
        ),
        negation="drop",
    ),
    Rule(
        "violence_home.any.not-safe-at-home",
        V,
        (
            "not|dont_feel|do_not_feel|never_feel|dont_feel_so ~1 safe ~2 at_home|in_my_home"
            "|in_the_house|in_my_house|at_my_house|here|with_him|with_her|with_my",
            "no_me_siento|no_estoy|no_estamos|no_me_siento_tan|no_nos_sentimos ~1 segura|seguro"
            "|seguros|seguras|a_salvo ~2 en_mi_casa|en_casa|en_la_casa|aqui|con_el|con_ella"
            "|con_mi",
        ),
        negation="drop",
    ),
    Rule(
        "violence_home.any.abusive",
        V,
        (
            "abusive|abuser ~1 relationship|marriage|husband|partner|boyfriend|man|wife"
            "|girlfriend|ex|home",
            "hes|shes|he_is|she_is|is|been|being|gets|getting|became ~2 abusive|violent"
            "|dangerous|aggressive_with_me",
            "@partner ~3 abuses|abused|abusing ~1 me",
            "@partner ~3 es|se_pone|esta|se_puso|se_vuelve ~2 violento|violenta|agresivo"
            "|agresiva|abusivo|abusiva|peligroso",
            "wont|doesnt|will_not|does_not ~1 let_me ~1 leave|go|go_out|out|see|talk|work"
            "|call|have_a_phone",
            "@partner ~4 no_me_deja ~1 salir|ver|hablar|trabajar|ir|usar|tener",
            "locks|locked ~1 me ~1 in|out|inside",
            "me_encierra|me_encerro|me_tiene_encerrada",
            "my_abuser|mi_agresor|mi_abusador|mi_maltratador|the_person_who_hurts_me"
            "|la_persona_que_me_maltrata|la_persona_que_me_pega|quien_me_maltrata|quien_me_pega",
        ),
        negation="drop",
        unless=("toddler",),
    ),
    Rule(
        "violence_home.any.domestic-violence",
        V,
        (
            "domestic_violence|domestic_abuse|family_violence|intimate_partner_violence|dv",
            "violencia ~2 domestica|intrafamiliar|familiar|de_genero|en_mi_casa|en_casa"
            "|en_el_hogar",
            "sufro|vivo|hay|viviendo|sufriendo|sufri ~1 violencia|maltrato|abuso",
        ),
        ambiguous=True,
        negation="drop",
        upgrade=("first_person",),
        soften=("media",),
    ),
    # ---- severe distress without crisis words --------------------------------------------
    Rule(
        "distress.en.cant-do-this",
        D,
        (
            "cant|cannot|can_not|cnat|cant_really ~1 do|take|handle|cope|deal|manage|stand"
            "|bear|survive ~1 this|it|anything|any_of_this|with_this anymore|any_more"
            "|no_more|much_longer|alone|$",
            "cant|cannot|can_not ~1 do|handle|cope_with|deal_with|take|stand ~1 being_a_mom"
            "|being_a_mum|being_a_mother|being_a_parent|being_a_dad|motherhood|parenthood"
            "|this_baby|my_life|life|being_alive|any_of_it",
            "cant|cannot|can_not|not|unable_to|barely ~1 cope|coping",
            "been|ive_been|keep|kept|i_keep ~1 crying|sobbing ~1 nonstop|non_stop|for_days"
            "|for_hours|constantly|all_the_time|every_day|all_day|for_weeks",
            "cant|cannot|can_not ~1 go_on|keep_going|keep_doing_this",
            "at_my_breaking_point|breaking_point|end_of_my_rope|my_wits_end|at_my_limit",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=("with ~1 the|this ~1 heat|weather|cold|noise|traffic|snow|rain",),
    ),
    Rule(
        "distress.en.feel-nothing",
        D,
        (
            "feel|feeling|felt|i_feel|i_felt so|really|completely|totally|just|absolutely|kind_of"
            "|kinda? nothing|numb|empty|dead_inside|hollow|nothing_at_all",
            "dont|do_not|cant|doesnt|never|no_longer ~1 feel ~1 anything|nothing|connected"
            "|bonded|a_bond|love|like_his_mom|like_her_mom|like_a_mom|attached",
            "dont|do_not|cant|no_longer ~1 love|want|bond_with ~1 @kid",
            "im|i_am|feel ~2 so|really|completely|totally|just? disconnected_from|detached ~1 @kid",
            "have|feel|got|theres ~1 no|zero|0 ~1 love|feelings|bond|connection|attachment ~2 for"
            "|toward|towards|with|to @kid",
            "no ~1 siento|tengo ~1 amor|carino|apego|conexion ~2 por|hacia|con @kid_es",
        ),
        negation="drop",
        unless_after=(
            "but|except|more_than|other_than|pain|in_my|in_the|wrong|is|works|helps|seems|will"
            "|handed|without|when_she_is|when_shes|when_he_is|when_hes|when_theyre|when_she_goes"
            "|when_he_goes|while_shes|while_hes|since_she|since_he|when_my|when_the",
        ),
    ),
    Rule(
        "distress.en.regret",
        D,
        (
            "regret|regretting|regretted ~1 having|having_had|becoming ~2 this|my|a|the|her|him"
            "|kids|children|baby|mom|mother",
            "hate|hating ~1 being ~1 a_mom|a_mum|a_mother|a_parent|a_dad|mom|mother",
            "i_hate_myself|i_hate_my_life|hate_myself_so_much",
            "wish_i_never_had|wish_i_hadnt_had|wish_i_didnt_have|wish_i_never_had_had ~1 @kid"
            "|a_baby|kids|children|this_baby|a_kid",
            "im_a_burden|i_am_a_burden|just_a_burden|such_a_burden",
            "i_want_to_run_away|want_to_run_away|run_away_and_never_come_back|want_to_disappear"
            "|wish_i_could_disappear",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=("from|to|for|with|from_the|to_the|for_the_weekend|for_a_day|for_an_hour",),
    ),
    Rule(
        "distress.en.hopeless",
        D,
        (
            "im|i_am|i_feel|feel|feels|feeling|everything_is|life_is|everything_feels|life_feels"
            " ~2 hopeless|worthless|helpless|pointless|meaningless",
            "im|i_am|i_feel_like_im|i_feel_like_i_am|im_just ~2 falling_apart|breaking_down"
            "|broken|crumbling|losing_it|sinking|not_coping|so_depressed|depressed"
            "|empty|numb",
            "nothing_matters|nothing_matters_anymore|whats_the_point|what_is_the_point",
            "no_hope|theres_no_hope|there_is_no_hope|lost_all_hope|lost_hope|hopeless_case"
            "|no_tengo_esperanza|perdi_la_esperanza|no_hay_esperanza|ya_no_tengo_esperanza"
            "|perdi_toda_esperanza ~1 for_me|left|anymore|$|ya|para_mi|en_nada",
            "i|i_just|i_literally|i_still ~2 cant_stop_crying|cannot_stop_crying|keep_crying"
            "|cant_stop_sobbing",
            "no_puedo_dejar_de_llorar|no_paro_de_llorar|no_dejo_de_llorar|lloro_y_lloro",
            "i|im|i_am|i_just|i_keep|i_still ~2 cry|crying|cried ~1 every_day|everyday|all_day"
            "|all_the_time|every_night|nonstop|non_stop|constantly|all_night",
            "every_day|everyday|every_night|every_morning|all_day ~3 i ~3 cry|crying",
            "i_think_i_have|i_have|maybe_i_have|i_might_have|diagnosed_with|struggling_with"
            "|dealing_with ~1 ppd|postpartum|post_partum|depression|postpartum_depression"
            "|post_partum_depression|anxiety",
            "having|have|get|getting|keep_having ~1 panic_attack|panic_attacks",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=("at|with|if|in_love|for|asleep|laughing|in_the|to_sleep|because_of_the|lol",),
    ),
    Rule(
        "distress.any.cant-live-like-this",
        D,
        (
            "cant|cannot|can_not|no_puedo|no_quiero|dont_want_to ~1 live|vivir|seguir ~1"
            " like_this|asi|de_esta_manera|this_way|anymore",
        ),
        soften=("laughter",),
        unless_after=("with|con|in|en|without|sin",),
    ),
    Rule(
        "distress.any.empty-shell",
        D,
        (
            "empty_shell|shell_of_myself|shell_of_a_person|shell_of_who_i_was|cascaron_vacio"
            "|cascaron|un_zombi_sin_alma",
            "im|i_am|i_feel_like_im|i_feel_like_i_am ~2 drowning",
        ),
        soften=("laughter",),
        unless_after=("in|with|under|en",),
    ),
    Rule(
        "distress.en.not-okay",
        D,
        (
            "im|i_am|i_feel|feeling|i_really_am ~2 not_ok|not_okay|not_alright|not_fine"
            "|really_not_ok|really_not_okay|not_doing_ok|not_doing_okay|not_doing_well",
        ),
        soften=("laughter",),
        unless_after=("with|about|if|that|to|for|being|having|leaving",),
    ),
    Rule(
        "distress.es.no-aguanto",
        D,
        (
            "no ~1 aguanto|soporto|puedo|doy ~1 mas|$|con_esto|con_todo|con_mi_vida|con_la_vida"
            "|a_este|a_esta|nada|con_este_bebe|con_esta_vida|con_nada|ser_mama|ser_madre"
            "|a_mi_bebe|a_mi_hijo|a_mi_hija|esta_vida|mi_vida",
            "ya_no_puedo|ya_no_aguanto|no_puedo ~1 seguir_asi|seguir|mas_con|con_esto|con_todo",
            "estoy|me_siento ~1 al_borde|al_limite|en_el_limite",
            "no ~1 puedo ~1 con_esto|con_mi_vida|con_la_vida|con_todo $",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=(
            "de ~1 risa|la_risa|ganas|emocion|amor|ternura",
            "las_ganas|las_ansias|la_emocion|el_calor|el_frio|la_curiosidad|que|a_que",
        ),
    ),
    Rule(
        "distress.es.no-estoy-pudiendo",
        D,
        (
            "no_estoy_pudiendo|no_puedo_con_el_bebe|no_puedo_con_la_bebe|no_puedo_con_mi_bebe",
            "no_puedo_con|no_soporto|no_aguanto ~1 ser ~1 mama|papa|madre|padre",
            "ojala|quisiera ~1 nunca|no ~1 hubiera_tenido|haber_tenido|tener ~1 hijos|bebe|un_bebe"
            "|a_mi_hijo|a_mi_hija|hijas|ninos",
        ),
        soften=("laughter",),
    ),
    Rule(
        "distress.es.escape",
        D,
        (
            "quiero|quisiera|me_dan_ganas_de|ganas_de ~1 salir_corriendo|huir|desaparecer"
            "|irme_lejos|escaparme",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=("a|al|a_la|para|un|unos|el_fin|de_fin|de_vacaciones|con|de_compras",),
    ),
    Rule(
        "distress.es.no-siento-nada",
        D,
        (
            "no|ya_no ~1 siento ~1 nada|conexion|amor|carino|apego|ningun_amor|nada_por",
            "no|ya_no ~1 =quiero|amo ~1 a_mi|a_este|a_esta ~1 @kid_es",
            "no_siento|no_me_siento ~1 conectada|conectado|unida|unido ~2 @kid_es",
            "me_siento|estoy|me_siento_muy|me_siento_tan ~1 desconectada|desconectado|lejos"
            " ~2 @kid_es",
        ),
        negation="drop",
        unless_after=(
            "mas_que|mas|excepto|salvo|pero|en_el|en_la|en_los|en_mi|raro|de_dolor|dolor",
        ),
    ),
    Rule(
        "distress.es.sin-esperanza",
        D,
        (
            "me_siento|estoy|siento|me_siento_muy|estoy_muy|me_siento_tan|estoy_tan|ando"
            "|me_siento_muy_sola|me_siento_sola|me_siento_solo"
            " ~2 sin_esperanza|sin_ninguna_esperanza|sin_nada_de_esperanza|sin_ganas_de_vivir"
            "|vacia|vacio|hueca|hueco|desesperada|desesperado|deprimida"
            "|deprimido|hecha_pedazos|hecho_pedazos|destrozada|destrozado|derrumbada|inutil"
            "|rota|roto|perdida|desesperanzada|sin_ganas_de_nada|muerta_por_dentro|entumida"
            "|entumido|adormecida|adormecido|anestesiada|anestesiado|insensible|apagada"
            "|muerto_por_dentro|vacia_por_dentro|quebrada|quebrado|una_carga|un_estorbo",
            "quisiera|ojala ~1 no_haberlo_tenido|no_haberla_tenido|no_haber_tenido"
            "|nunca_haberlo_tenido|nunca_haberla_tenido|no_haber_sido_mama|no_ser_mama",
            "soy_una_carga|soy_un_estorbo|solo_soy_una_carga",
            "me_estoy ~1 derrumbando|desmoronando|hundiendo|volviendo_loca|volviendo_loco"
            "|quebrando|rompiendo|cayendo_a_pedazos"
            "|muriendo_por_dentro|apagando",
            "nada_tiene_sentido|todo_me_parece_sin_sentido|nada_importa|sin_sentido"
            "|no_tiene_sentido_nada|ya_nada_importa",
            "!lloro|llorando|llore ~1 todos_los_dias|todo_el_dia|todo_el_tiempo|todas_las_noches"
            "|a_diario|sin_parar",
            "creo_que_tengo|tengo|me_diagnosticaron|sufro_de|tendre ~1 depresion|ansiedad"
            " ~1 posparto|postparto|post_parto|postpartum|fuerte|severa|$",
            "me_dan|tengo|me_da|me_vienen|me_dio ~1 ataques|ataque|crisis ~2 de_panico"
            "|de_ansiedad|de_llanto",
            "siento_que_me_ahogo|me_ahogo|me_siento_ahogada|me_odio|odio_mi_vida",
            "odio|detesto|me_arrepiento_de|arrepentida_de|arrepentido_de ~1 ser ~1 mama|madre|mami",
            "me_arrepiento|arrepentida|arrepentido ~2 de ~1 haber_tenido|tener|tenerlo|tenerla"
            "|haberlo_tenido|haberla_tenido|ser_mama|haber_sido_mama|haber_sido_madre"
            "|haber_sido_papa|haber_sido_padre",
            "no ~1 estoy ~1 bien $",
            "no ~1 estoy ~1 bien ~1 de_verdad|para_nada|nada|en_serio",
        ),
        negation="drop",
        soften=("laughter",),
        unless_after=(
            "por_que|por_ver|por_verla|por_verlo|por_conocer|por_salir|por_ir|por_llegar"
            "|con_el|de_cansancio|de_sueno|a_la_tienda|al_parque|de_la_casa|sin_mi|sin_el"
            "|sin_ella|sin_mis|cuando|porque_no_esta|en_la_guarderia",
        ),
    ),
    # ---- a wider net: words that often come with danger, read as "are you safe?" ---------
    # These only ask (ambiguous). They catch phrasings the rules above do not know yet; the
    # corpus report counts how often they ask about a near-miss.
    Rule(
        "baby_unwell.any.worry-net",
        B,
        (
            "breathing|breathe|breath|respira|respirar|respiracion|blue|purple|grey|gray|morado"
            "|morada|azul|seizure|seizures|convuls*|fever|fiebre|calentura|unconscious|fainted"
            "|desmay*|vomiting|vomitando|limp|floppy|lethargic|pale|palido|palida|choking"
            "|ahogando|atragant* ~8 help|ayuda|ayudenme|scared|miedo|emergency|urgencias|911"
            "|ahorita|please|por_favor|worried|preocupada|preocupado|asustada|panic|panico"
            "|what_do_i_do|que_hago|right_now|ahora_mismo",
        ),
        ambiguous=True,
        negation="drop",
        unless=("resolved", "info", "cold", "vaccine", "colour_source"),
    ),
    Rule(
        "self_harm.any.death-net",
        S,
        (
            "die|dying|to_die|death|suicide|suicidal|kill_myself|killing_myself|morir|morirme"
            "|muerte|suicidio|matarme|suicidarme|end_my_life|quitarme_la_vida|not_be_here"
            "|no_estar_aqui|desaparecer|disappear",
        ),
        ambiguous=True,
        unless=("media", "elsewhere", "embarrassed", "joy", "laughter"),
        unless_before="dog|cat|perro|gato|plant|planta|phone|battery|celular|bateria|fish|pez",
        unless_after=(
            "to|for|of|laughing|laughter|lol|haha*|jaja*|tired|de|por|from|inside|down"
            "|in_a_nap|into_a_nap|en_una_siesta",
            "my|her|his|el|mi ~1 hair|pelo|cabello",
        ),
    ),
    Rule(
        "harm_child.any.harm-net",
        H,
        (
            "hurt|hurting|harm|harming|shake|shaking|shook|smother*|drown|drowning|suffocat*"
            "|throw|threw|slap|slapped|smack|smacked|choke|choking|lastimar|lastimarlo"
            "|lastimarla|hacerle_dano|sacudir|sacudirlo|sacudirla|sacudi|pegarle|aventarlo"
            "|aventarla|ahogarlo|ahogarla|golpearlo|golpearla|asfixiarlo|asfixiarla ~2 @kid",
        ),
        ambiguous=True,
        unless=("other_agent", "media", "toddler_only", "not_me_es"),
        unless_before="she|he|shes|hes|they|it|ella|el",
        unless_after=(
            "@body",
            "in_the_air|up|al_aire|un_beso|besos|kisses|a_kiss|off|clothes|stuff|things|toys"
            "|gear|shower|ropa|cosas|ropita|juguetes",
        ),
    ),
    Rule(
        "violence_home.any.partner-net",
        V,
        (
            "@partner ~8 hit|hits|hitting|hurt|hurts|hurting|push*|shove*|choke*|chokes|golpe*"
            "|golpea|pega|pego|lastima|lastimo|grabs|grabbed|kick*|patea|pateo|empuj* ~1 me|us"
            "|@kid|my|nos|a_mi|al_bebe|al_nino|a_la_nina|a_los_ninos",
            "@partner ~8 threat*|violent|violence|abus*|amenaz*|violento|violenta|agresivo"
            "|agresiva|maltrat*|controlling|controla|celoso|jealous",
            "miedo|scared|afraid|terrified|terror|pavor ~4 @partner",
        ),
        ambiguous=True,
        negation="drop",
        unless=("past", "laughter"),
        unless_after=(
            "la|el|un|una ~1 gripa|gripe|resfriado|tos|virus|susto|mania|costumbre|grito"
            "|calcomania|etiqueta|sticker",
            "the_jackpot|the_gym|the_road|the_hay|the_sack|the_books|the_traffic|of_spiders"
            "|of_needles|of_heights|of_the_dark|a_las_aranas|a_las_agujas|a_las_alturas",
            "jackpot|gym|road|traffic|spiders|needles|heights|dark|aranas|agujas|alturas",
            "to|into_taking|a ~1 take|go|rest|sleep|nap|tomar|dormir|descansar|ir|salir|comer",
        ),
    ),
    Rule(
        "distress.any.distress-net",
        D,
        (
            "hopeless|worthless|numb|empty|depressed|depression|breakdown|desperate|despair"
            "|helpless|miserable|sin_esperanza|vacia|vacio|deprimida|deprimido|depresion"
            "|desesperada|desesperado|inutil|desesperanza|crisis|colapso|no_puedo_mas"
            "|no_aguanto|cant_cope|can_not_cope|cannot_cope|cant_go_on",
        ),
        ambiguous=True,
        unless=("media", "laughter", "empty_thing"),
        unless_before=(
            "tank|gas|battery|tanque|bateria|stomach|belly|fridge|nevera|refri|bottle|biberon"
            "|cup|plate|house|casa|room|cuarto|box|caja|jar|frasco|bag|bolsa|crib|cuna|la|el"
        ),
        unless_after=(
            "at|with|lol|haha*|jaja*|sin_mi|sin_el|sin_ella|cuando|when|without|tank|stomach"
            "|panza|de_risa|de_la_risa|de_ganas|las_ganas|el_calor",
        ),
    ),
)

# The harm_child "le di" rule upgrades when a child is named: a cue built from a macro.
_CUES_EXTRA: Final[dict[str, tuple[str, ...]]] = {
    "partner_does": (
        "@partner ~8 pegarme|golpearme|lastimarme|matarme|ahorcarme|hacerme_dano|violarme"
        "|madrearme|quemarme|cortarme",
    ),
    # Someone else may hurt the child: "I'm scared he'll hurt the baby".
    "other_agent": (
        "he|she|hell|shell|hed|shed|they|theyll|@partner ~2 @harm_en|will_hurt|might_hurt"
        "|would_hurt|is_going_to_hurt|gonna_hurt ~1 @kid",
        "miedo|terror|panico ~1 de_que|que ~1 lastime|lastimen|le_haga|le_hagan|le_pegue"
        "|le_peguen|lo_sacuda|la_sacuda|lo_lastime|la_lastime",
    ),
    "monster": (
        "soy_un_monstruo|soy_una_mala_madre|soy_lo_peor|im_a_monster|i_am_a_monster"
        "|im_a_terrible_mom|im_the_worst",
    ),
    "kid_es": ("@kid_es|my_baby|the_baby|@young|#num_meses|#num_months",),
    "partner_threat": (
        "@partner ~4 matarme|me_va_a_matar|me_quiere_matar|quiere_matarme|va_a_matarme",
        "me_va_a_matar|me_quiere_matar|va_a_matarme|quiere_matarme",
    ),
}


# --------------------------------------------------------------------------------------------
# Compiling patterns

_AtomKind = Literal["word", "exact", "unaccented", "prefix", "number"]


@dataclass(frozen=True, slots=True)
class _Atom:
    kind: _AtomKind
    text: str


@dataclass(frozen=True, slots=True)
class _Slot:
    alternatives: tuple[tuple[int, ...], ...]  # each: a run of atom ids
    optional: bool = False
    or_end: bool = False  # "$" among the alternatives: the clause may end here instead
    by_first: dict[int, tuple[tuple[int, ...], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, alternatives: Sequence[tuple[int, ...]], optional: bool, or_end: bool) -> _Slot:
        by_first: dict[int, list[tuple[int, ...]]] = {}
        for alternative in alternatives:
            by_first.setdefault(alternative[0], []).append(alternative)
        return cls(
            tuple(alternatives),
            optional,
            or_end,
            {first: tuple(alts) for first, alts in by_first.items()},
        )


@dataclass(frozen=True, slots=True)
class _Gap:
    most: int


@dataclass(frozen=True, slots=True)
class _End:
    pass


_Element = _Slot | _Gap | _End
_Pattern = tuple[_Element, ...]


@dataclass(slots=True)
class _Compiler:
    atoms: list[_Atom] = field(default_factory=list)
    ids: dict[_Atom, int] = field(default_factory=dict)

    def atom(self, raw: str) -> int:
        if raw.startswith("#"):
            found = _Atom("number", raw[1:])
            if found.text not in _NUMBERS:
                raise ValueError(f"unknown number atom {raw!r}")
        elif raw.startswith("="):
            found = _Atom("exact", _skeleton(raw[1:]))
        elif raw.startswith("!"):
            found = _Atom("unaccented", _skeleton(raw[1:]))
        elif raw.endswith("*"):
            found = _Atom("prefix", _skeleton(raw[:-1]))
        else:
            found = _Atom("word", _skeleton(raw))
        if found not in self.ids:
            self.ids[found] = len(self.atoms)
            self.atoms.append(found)
        return self.ids[found]

    def alternatives(self, element: str) -> list[tuple[int, ...]]:
        result: list[tuple[int, ...]] = []
        for alternative in element.split("|"):
            if not alternative:
                raise ValueError(f"empty alternative in {element!r}")
            if alternative.startswith("@"):
                result.extend(self.alternatives(_MACROS[alternative[1:]]))
            else:
                result.append(tuple(self.atom(word) for word in alternative.split("_")))
        return result

    def pattern(self, source: str) -> _Pattern:
        elements: list[_Element] = []
        for raw in source.split():
            if raw == "$":
                elements.append(_End())
            elif re.fullmatch(r"~\d+", raw):
                elements.append(_Gap(int(raw[1:])))
            else:
                optional = raw.endswith("?") and len(raw) > 1
                body = raw[:-1] if optional else raw
                parts = body.split("|")
                or_end = "$" in parts
                body = "|".join(part for part in parts if part != "$")
                elements.append(_Slot.of(self.alternatives(body), optional, or_end))
        first = elements[0] if elements else None
        if not isinstance(first, _Slot) or first.optional or first.or_end:
            raise ValueError(f"a pattern must start with a required word: {source!r}")
        return tuple(elements)


def _hot(value: float) -> bool:
    return 39.5 <= value <= 43.5 or 103 <= value <= 110


def _warm(value: float) -> bool:
    return 38.0 <= value <= 43.5 or 100.4 <= value <= 110


_NUMBERS: Final = {
    "num": lambda value: True,
    "small": lambda value: value <= 5 and value == int(value),
    "lt3": lambda value: value < 3,
    "hot": _hot,
    "warm": _warm,
}


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    patterns: tuple[_Pattern, ...]
    unless_after: tuple[_Pattern, ...]
    unless_before: frozenset[int]


_COMPILER = _Compiler()
_COMPILED: Final = tuple(
    _CompiledRule(
        rule,
        tuple(_COMPILER.pattern(p) for p in rule.patterns),
        tuple(_COMPILER.pattern(p) for p in rule.unless_after),
        frozenset(alt[0] for alt in _COMPILER.alternatives(rule.unless_before) if len(alt) == 1)
        if rule.unless_before
        else frozenset(),
    )
    for rule in sorted(RULES, key=lambda r: PRIORITY.index(r.category))
)
_CUE_PATTERNS: Final = {
    name: tuple(_COMPILER.pattern(p) for p in patterns)
    for name, patterns in (_CUES | _CUES_EXTRA).items()
}
_ATOMS: Final = tuple(_COMPILER.atoms)


def _check_rules() -> None:
    ids = [rule.id for rule in RULES]
    if len(ids) != len(set(ids)):
        raise ValueError("rule ids must be unique")
    for rule in RULES:
        if not rule.id.startswith(f"{rule.category.value}."):
            raise ValueError(f"rule {rule.id} must start with its category")
        for cue in (*rule.unless, *rule.soften, *rule.upgrade):
            if cue not in _CUE_PATTERNS:
                raise ValueError(f"rule {rule.id} names an unknown cue {cue!r}")


_check_rules()

# Atom look-up tables.
_EXACT: dict[str, list[int]] = {}
_FUZZY: dict[tuple[str, str], list[tuple[str, int]]] = {}
_PREFIXES: list[tuple[str, int]] = []
# "!word" atoms: the word not written with a final "ó" ("lloro", not "lloró").
_UNACCENTED: Final = frozenset(i for i, a in enumerate(_ATOMS) if a.kind == "unaccented")
_NUMBER_ATOMS: list[tuple[str, int]] = []
for _id, _a in enumerate(_ATOMS):
    if _a.kind in ("word", "exact", "unaccented"):
        _EXACT.setdefault(_a.text, []).append(_id)
        if _a.kind == "word" and len(_a.text) >= 4:
            _FUZZY.setdefault((_a.text[0], _a.text[-1]), []).append((_a.text, _id))
    elif _a.kind == "prefix":
        _PREFIXES.append((_a.text, _id))
    else:
        _NUMBER_ATOMS.append((_a.text, _id))

# First atoms of every rule pattern -> (rule index, pattern index), to try only what can match.
_FIRST: dict[int, list[tuple[int, int]]] = {}
for _ri, _cr in enumerate(_COMPILED):
    for _pi, _pattern in enumerate(_cr.patterns):
        _head = _pattern[0]
        assert isinstance(_head, _Slot)
        for _alt in _head.alternatives:
            _FIRST.setdefault(_alt[0], []).append((_ri, _pi))


def _near_prefix(skeleton: str, prefix: str) -> bool:
    """One typo inside a long prefix: "suisidar" starts like "suicid"."""
    if len(prefix) < 6 or skeleton[0] != prefix[0] or len(skeleton) < len(prefix) - 1:
        return False
    return any(
        OSA.distance(skeleton[:n], prefix, score_cutoff=1) <= 1
        for n in (len(prefix) - 1, len(prefix), len(prefix) + 1)
    )


@lru_cache(maxsize=32768)
def _atoms_of(word: str) -> frozenset[int]:
    """Every atom a word matches: exactly, as a prefix, with one typo, or as a number."""
    if word[0].isdigit():
        try:
            value = float(word.replace(",", "."))
        except ValueError:
            return frozenset()
        return frozenset(i for name, i in _NUMBER_ATOMS if _NUMBERS[name](value))
    skeleton = _skeleton(word)
    found = set(_EXACT.get(skeleton, ()))
    found.update(i for prefix, i in _PREFIXES if skeleton.startswith(prefix))
    if found or skeleton in _COMMON:
        return frozenset(found)  # a word we know is never read as a typo of another
    found.update(i for prefix, i in _PREFIXES if _near_prefix(skeleton, prefix))
    if len(skeleton) >= 4:
        for candidate, i in _FUZZY.get((skeleton[0], skeleton[-1]), ()):
            if abs(len(candidate) - len(skeleton)) > 1:
                continue
            if OSA.distance(skeleton, candidate, score_cutoff=1) > 1:
                continue
            # A swap of two letters ("wnat", "myslef"), or a letter missing or extra
            # ("husbnd", "suicde") from five letters on; a letter replaced only from eight
            # ("suisidar"), since a replaced letter often makes another real word ("kissing").
            swapped = sorted(candidate) == sorted(skeleton)
            replaced = len(candidate) == len(skeleton) and not swapped
            if swapped or (len(candidate) >= 5 and not replaced) or len(candidate) >= 9:
                found.add(i)
    return frozenset(found)


# --------------------------------------------------------------------------------------------
# Reading one message


@dataclass(slots=True)
class _Message:
    words: list[str]
    atoms: list[frozenset[int]]
    # boundary[i]: what separates word i-1 from word i (0 nothing, 1 comma or "but", 2 a
    # sentence end). boundary[len(words)] is 2.
    boundary: list[int]
    negator: list[bool]
    cues: dict[str, bool] = field(default_factory=dict)
    memo: dict[tuple[int, int, int], _Found | None] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str) -> _Message:
        words: list[str] = []
        boundary: list[int] = [0]
        atoms: list[frozenset[int]] = []
        for piece in _PIECES.findall(_fold(text.replace("\n", " . "))):
            if piece[0] in ".!?":
                boundary[-1] = 2
            elif not piece[0].isalnum():
                boundary[-1] = max(boundary[-1], 1)
            else:
                plain = _plain_word(piece)
                for word in _ALIASES.get(plain, (plain,)):
                    words.append(word)
                    found = _atoms_of(word)
                    atoms.append(found - _UNACCENTED if piece.endswith("ó") else found)
                    boundary.append(0)
        boundary[-1] = 2
        negator = [
            _skeleton(w) in _NEGATORS
            and not (i + 1 < len(words) and _skeleton(words[i + 1]) in _NOT_NEGATING_NEXT)
            for i, w in enumerate(words)
        ]
        return cls(words, atoms, boundary, negator)

    def clause_break_before(self, i: int) -> bool:
        return self.boundary[i] > 0 or (i > 0 and self.words[i - 1] in _CLAUSE_WORDS)

    def match(self, pattern: _Pattern, k: int, pos: int) -> _Found | None:
        """Where `pattern[k:]` ends when it starts at word `pos` (and the words its gaps
        skipped), or None. Remembered per message: gaps make the same question come back."""
        key = (id(pattern), k, pos)
        if key not in self.memo:
            self.memo[key] = self._match(pattern, k, pos)
        return self.memo[key]

    def _match(self, pattern: _Pattern, k: int, pos: int) -> _Found | None:
        if k == len(pattern):
            return _Found(pos, ())
        element = pattern[k]
        if isinstance(element, _End):
            if pos == len(self.words) or self.boundary[pos] > 0:
                return self.match(pattern, k + 1, pos)
            return None
        if isinstance(element, _Gap):
            found = self.match(pattern, k + 1, pos)
            if found is not None or self.boundary[pos] == 2:
                return found
            for end in range(pos + 1, min(pos + element.most, len(self.words)) + 1):
                if self.boundary[end] == 2 and end < len(self.words):
                    break
                found = self.match(pattern, k + 1, end)
                if found is not None:
                    return _Found(found.end, (*range(pos, end), *found.gaps))
            return None
        if pos < len(self.words):
            for atom in self.atoms[pos]:
                for alternative in element.by_first.get(atom, ()):
                    end = pos + len(alternative)
                    if end <= len(self.words) and all(
                        alternative[j] in self.atoms[pos + j] for j in range(1, len(alternative))
                    ):
                        found = self.match(pattern, k + 1, end)
                        if found is not None:
                            return found
        if element.optional or (
            element.or_end and (pos == len(self.words) or self.boundary[pos] > 0)
        ):
            return self.match(pattern, k + 1, pos)
        return None

    def search(self, pattern: _Pattern) -> bool:
        head = pattern[0]
        assert isinstance(head, _Slot)
        firsts = {alt[0] for alt in head.alternatives}
        return any(
            not firsts.isdisjoint(atoms) and self.match(pattern, 0, pos) is not None
            for pos, atoms in enumerate(self.atoms)
        )

    def cue(self, name: str) -> bool:
        if name not in self.cues:
            self.cues[name] = any(self.search(p) for p in _CUE_PATTERNS[name])
        return self.cues[name]

    def negated(self, start: int, gaps: Iterable[int]) -> bool:
        if any(self.negator[i] for i in gaps):
            return True
        for i in range(start - 1, max(start - 4, -1), -1):
            if self.clause_break_before(i + 1):
                return False
            if self.negator[i]:
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Found:
    end: int
    gaps: tuple[int, ...]


_Verdict = Literal["flag", "ask"] | None


def _judge(compiled: _CompiledRule, message: _Message, start: int, found: _Found) -> _Verdict:
    rule = compiled.rule
    if start > 0 and not compiled.unless_before.isdisjoint(message.atoms[start - 1]):
        return None
    if any(message.match(p, 0, found.end) is not None for p in compiled.unless_after):
        return None
    upgraded = any(message.cue(c) for c in rule.upgrade)
    if not upgraded and any(message.cue(c) for c in rule.unless):
        return None
    if rule.negation != "ignore" and message.negated(start, found.gaps):
        return "ask" if rule.negation == "ask" else None
    verdict: _Verdict = "ask" if rule.ambiguous and not upgraded else "flag"
    if any(message.cue(c) for c in rule.soften):
        verdict = "ask"
    return verdict


def screen(text: str) -> Screening:
    """What one piece of a parent's own words suggests: the most urgent category that is
    clearly there (flagged), else the most urgent maybe (ambiguous), else NOTHING.

    A zero-width character may hide inside a word ("ki\u200bll") or stand for a space
    ("kill\u200bmyself"): when the text has one, both readings are screened."""
    found = _screen(text)
    if found.flagged or text.isascii() or not any(unicodedata.category(ch) == "Cf" for ch in text):
        return found
    spaced = _screen("".join(" " if unicodedata.category(ch) == "Cf" else ch for ch in text))
    return min((found, spaced), key=_urgency)


def _urgency(found: Screening) -> tuple[int, int]:
    if found.category is None:
        return (2, 0)
    return (1 if found.ambiguous else 0, PRIORITY.index(found.category))


def _screen(text: str) -> Screening:
    message = _Message.read(text)
    if not message.words:
        return NOTHING
    tries: dict[int, list[tuple[int, int]]] = {}
    for pos, atoms in enumerate(message.atoms):
        for atom in atoms:
            for rule_index, pattern_index in _FIRST.get(atom, ()):
                tries.setdefault(rule_index, []).append((pattern_index, pos))
    maybe: Screening | None = None
    for rule_index in sorted(tries):
        compiled = _COMPILED[rule_index]
        asked = False
        for pattern_index, pos in tries[rule_index]:
            found = message.match(compiled.patterns[pattern_index], 0, pos)
            if found is None:
                continue
            verdict = _judge(compiled, message, pos, found)
            if verdict == "flag":
                return Screening(compiled.rule.category, compiled.rule.id)
            asked = asked or verdict == "ask"
        if asked and maybe is None:
            maybe = Screening(compiled.rule.category, compiled.rule.id, ambiguous=True)
    return maybe or NOTHING


def rules() -> Sequence[Rule]:
    """Every rule, most urgent category first (for staff tools and content review)."""
    return tuple(c.rule for c in _COMPILED)
