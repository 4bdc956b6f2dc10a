"""Layer 3 (engine): the function words fixes and the fix checker need, in every supported language.

A removal must take the words that only exist to carry what it removes ("call us at", "Tel:", "电话：")
and must not leave a word whose partner it took ("Manuals at.", "Email or call."). These lists say
which words those are. They are closed classes (prepositions, conjunctions, contact verbs and labels),
so a short list per language covers them; the product words around them are never listed.
"""

from __future__ import annotations

import regex

from ..patterns import compile_pattern

PREPOSITIONS = {
    "en": "at on to via through from under by in for with of into onto about",
    "de": "an auf bei unter per über von durch zu mit für im am",
    "fr": "à au aux sur par chez via pour avec de du des en",
    "es": "en a al por vía via desde para con de del",
    "it": "a al allo alla su sul sulla presso tramite via da per con di del della in",
}
"""Prepositions that can introduce a contact ("at www…", "unter 030…", "sur notre site")."""

CARRIER_PREPOSITIONS = {
    "en": "at on to via through from under by",
    "de": "an auf bei unter per über von durch",
    "fr": "à au sur par chez via",
    "es": "en a al por vía via desde",
    "it": "a al su sul presso tramite via da",
}
"""The subset that may go with a removed contact: "for" or "with" usually belong to the words after it."""

CONJUNCTIONS = {
    "en": "and or but nor &",
    "de": "und oder aber sowie",
    "fr": "et ou mais",
    "es": "y o e u pero",
    "it": "e o ed oppure ma",
}

ARTICLES = {
    "en": "a an the",
    "de": "der die das den dem des ein eine einen einem",
    "fr": "le la les un une l'",
    "es": "el la los las un una",
    "it": "il lo la i gli le un una uno",
}

ARTICLE_BEFORE_PREPOSITION = {
    "en": ("a an the", "at on to via through from under by in for with of into onto about"),
    "de": ("ein eine einen einem eines", PREPOSITIONS["de"]),
    "fr": ("le la les un une", "à au aux sur par chez via pour avec en"),
    "es": ("el la los las un una", "en a al por para con desde"),
    "it": ("il lo gli un", "a al allo alla su sul sulla presso tramite da per con di del della in"),
}
"""Articles that cannot stand right before these prepositions: a removal took the noun between them ("the best
seller in its class" leaves "the in its class"). Left out: the German der/die/das/den/dem, also relative pronouns
("Kunden, die an …"); Spanish and French articles before de, and Italian uno/una, which stand for a noun ("el de
mayor capacidad", "una delle"); "a to" ("from A to Z")."""

SUBORDINATORS = {
    "en": "while when if because as so than until unless whereas",
    "de": "wenn weil als während solange falls",
    "fr": "si quand lorsque pendant tant",
    "es": "si cuando mientras hasta",
    "it": "se quando mentre finché fino",
}
"""Words that cannot open a sentence on their own ("while stocks last" once "Grab yours now" goes)."""

AUXILIARIES = {"en": "is are was were be been am"}
"""Verbs that cannot end a clause on their own ("All of our products are and come with…")."""

CONTACT_VERBS = {
    "en": r"(?:call|phone|ring|text|sms|e-?mail|mail|write|contact|reach|message|visit|see|browse|find|follow|dm|"
          r"whatsapp|wechat)(?:s|ed|ing)?(?:\s+(?:to|out\s+to))?|go\s+to|head\s+to|check\s+out|get\s+in\s+touch\s+with",
    "de": r"ruf\w*|anrufen|schreib\w*|kontaktier\w*|erreich\w*|besuch\w*|mail\w*|melde\w*",
    "fr": r"appel\w*|contact\w*|écri\w*|envoy\w*|visit\w*|joign\w*|rendez-vous",
    "es": r"ll[aá]m\w*|cont[aá]ct\w*|escr[ií]b\w*|visit\w*|env[ií]a\w*|envie\w*|m[aá]nd\w*",
    "it": r"chiam\w*|contatt\w*|scriv\w*|visit\w*|invia\w*",
}
"""Verbs whose object a contact is ("Email us at …", "Rufen Sie uns unter … an")."""

DANGLING_VERBS = {
    "en": "call phone ring text email e-mail mail write contact reach message visit calling phoning texting "
          "emailing e-mailing mailing writing contacting messaging visiting",
    "fr": "appelez contactez écrivez visitez",
    "es": "llame llámenos llámanos llama contacte contáctanos escriba escríbenos escribe visite",
    "it": "chiamate chiamaci chiama contattate contatta scrivete scrivi visitate",
}
"""Contact verbs that cannot end a sentence once their object is gone ("Questions? Email or call.")."""

HOLDERS = {
    "en": "our your my their his her its this that these those us me over out up down back please",
    "de": "unser unsere unserer unseren unserem unseres ihr ihre ihrer ihren ihrem mein meine meinen dein deine "
          "deinen sie du uns mich dieser diese dieses bitte einfach",
    "fr": "notre nos votre vos mon ma mes ton ta tes son sa ses leur leurs ce cette ces nous vous",
    "es": "nuestra nuestro nuestras nuestros tu tus su sus mi mis este esta estos estas nos",
    "it": "nostro nostra nostri nostre vostro vostra tuo tua suo sua mio mia questo questa ci vi",
}
"""Words that cannot end what is left of a clause once the contact after them goes: a possessive or
demonstrative without its noun ("on our", "auf unserer"), a pronoun that a verb in second place put
before its object ("Rechnungskopien erhalten Sie"), a verb's particle ("head over")."""

NAV_VERBS = {
    "en": "go head type enter scan",
    "de": "gehen geben gib besuchen",
    "fr": "tapez allez saisissez entrez rendez-vous",
    "es": "teclea entra ve ingresa",
    "it": "digita vai inserisci",
}
"""Verbs that only point at an address ("tapez bit.ly/…", "head to …"): left without it, they say nothing."""

LABELS = (
    # en
    r"tel|tele?phone|phone|ph|mob(?:ile)?|cell\s?phone|fax|hotline|helpline|whats\s?app|we\s?chat|viber|"
    r"telegram|skype|line\s?id|e-?mail|email\s+address|website|web\s?site|url|homepage|support|customer\s+service|"
    # de, fr, es, it
    r"telefon(?:nummer)?|handy|webseite|tél|téléphone|courriel|adresse\s+e-?mail|site\s+web|"
    r"tfno|teléfono|móvil|correo(?:\s+electrónico)?|página\s+web|sitio\s+web|"
    r"telefono|cellulare|posta\s+elettronica|sito\s+web"
)
COLON_LABELS = (
    r"contact(?:\s+(?:us|info|details|number))?|service|web|site|mail|line|cell|"
    r"kontakt|internet|mobil|portable|correo|posta|sito|contatto|contatti|contacto"
)
"""Words that name a contact when they label it ("Tel: …", "E-Mail: …", "Website …"); COLON_LABELS only
with a colon ("Contact: …"), since without one they are ordinary words ("contact us", "customer service")."""

CJK_LABELS = (
    r"(?:(?:お問い合わせ|お問合せ|問い合わせ|ご連絡|連絡)先|フリーダイヤル|フリーコール|ナビダイヤル|"
    r"(?:售后|客服|服务|联系|咨询|官方|公司|公式|お問い合わせ|お問合せ|問い合わせ|カスタマー|サポート|发送|發送|发|發)?"
    r"(?:电话|電話(?:番号)?|手机|手機|热线|熱線|邮箱|郵箱|电子邮件|電子郵件|邮件|網址|网址|网站|官网|微信|QQ|"
    r"メール(?:アドレス)?|Eメール|ＴＥＬ|TEL|Tel|ＦＡＸ|FAX|ホームページ|サイト|URL|ＵＲＬ|LINE|方式)"
    r"(?:号码|號碼|号|番号|地址|アドレス)?)"
)

# "售后请拨打", "欢迎来电": who answers, or a welcome, goes with the verb.
CJK_VERBS = (r"(?:售后|售後|客服|欢迎|歡迎)?(?:请|請)?"
             r"(?:致电|致電|拨打|撥打|拨|撥|来电|來電|联系|聯繫|联络|访问|訪問|浏览|瀏覽|查看|登录|发邮件至|發郵件至|发送至|发至|详见|詳見|见|見)")

LEAD_INS = (
    r"questions?|any\s+questions?|need\s+help|help|problems?|issues?|support|contact(?:\s+us)?|"
    r"fragen|noch\s+fragen|hilfe|des\s+questions|une\s+question|besoin\s+d'aide|"
    r"preguntas|dudas|alguna\s+duda|¿?preguntas|¿?dudas|domande|dubbi|bisogno\s+di\s+aiuto|"
    r"有问题|有任何问题|有疑问|問題|疑問|ご質問|お問い合わせ"
)
"""Short openers that only introduce the contact after them ("Questions? Email …")."""

CJK_FILLERS = (r"どうぞ|お気軽に|ご覧ください|ご覧下さい|ご覧いただけます|ご覧になれます|ください|下さい|詳しくは|"
               r"詳細は|こちら|お問い合わせ|お問合せ|問い合わせ|[はをへにがでも]|详情|詳情|更多|了解更多")
"""Japanese and Chinese words that survive a contact removal saying nothing ("までお気軽にどうぞ", "詳しくは…をご覧ください")."""

FILLERS = {
    "en": "please us me our team anytime any time directly now today 24/7 here "
          "help support assistance info information details questions queries enquiries inquiries more further",
    "de": "bitte sie uns gerne jederzeit direkt hilfe fragen informationen weitere support kundendienst",
    "fr": "nous n'hésitez pas à aide questions informations plus assistance support",
    "es": "nos por favor ayuda preguntas dudas información más asistencia soporte",
    "it": "ci per favore aiuto domande informazioni più assistenza supporto",
}
"""Words that survive a contact removal without saying anything on their own, including what the contact
was for ("Email x for help", "call x for more information")."""


ASIDE_WORDS = frozenset("like e.g eg i.e ie see ex z.b zb p.ex ad es ej. esempio".split())
"""Words that only introduce an example in brackets ("(like …)", "(z. B. …)")."""


def _words(table: dict[str, str]) -> frozenset[str]:
    return frozenset(w for line in table.values() for w in line.split())


PREPOSITION_WORDS = _words(PREPOSITIONS)
CONJUNCTION_WORDS = _words(CONJUNCTIONS)
ARTICLE_WORDS = _words(ARTICLES)
FUNCTION_WORDS = PREPOSITION_WORDS | CONJUNCTION_WORDS | ARTICLE_WORDS | _words(AUXILIARIES)
STARTERS = PREPOSITION_WORDS | CONJUNCTION_WORDS | _words(SUBORDINATORS)
"""A sentence left starting with one of these is a fragment."""
ARTICLE_PREPOSITION_PAIRS = frozenset(
    (article, preposition) for articles, prepositions in ARTICLE_BEFORE_PREPOSITION.values()
    for article in articles.split() for preposition in prepositions.split()) - {("a", "to")}
DANGLING_WORDS = FUNCTION_WORDS | _words(DANGLING_VERBS)
HOLDER_WORDS = FUNCTION_WORDS | _words(HOLDERS) | _words(NAV_VERBS) | _words(DANGLING_VERBS)
"""A word that cannot end what a contact's removal leaves of its clause."""
OBJECT_PRONOUNS = frozenset("us me uns mich nous moi nos ci".split())
"""Pronouns a contact verb takes as its object: "Contact us" stays whole when the address after it goes."""
V2_PRONOUNS = frozenset({"sie", "du"})
"""German subjects a verb in second place puts before its objects ("… aktivieren Sie ausschließlich über x"):
one of a clause's last two words means the clause went on into the contact."""
"""A word that cannot end a sentence or come right before a conjunction or punctuation."""
FILLER_WORDS = _words(FILLERS) | CONJUNCTION_WORDS | ARTICLE_WORDS | PREPOSITION_WORDS

_alt = "|".join


def _longest_first(words) -> list[str]:
    """Return the words longest first (so an alternation tries "oder" before "o"), ties in a fixed order: the
    pattern's text is then the same in every process, as the compiled-pattern store keys it."""
    return sorted(words, key=lambda w: (-len(w), w))


def _patterns() -> dict:
    """Return the source and flags of every pattern below, by name."""
    return {
        # a preposition ending the text before a contact ("Manuals at ").
        "CARRIER_PREP": (
            r"(?:^|(?<=\s))(?:" + _alt(_longest_first({w for v in CARRIER_PREPOSITIONS.values() for w in v.split()}))
            + r")\s*$|[@＠]\s*$|(?:至|到|まで)\s*$",
            regex.IGNORECASE),
        # a contact verb with its pronoun and adverbs, ending the text before a contact ("Email us at " less "at ").
        "CONTACT_VERB": (
            r"(?:^|(?<=[\s,;(]))(?:please\s+|bitte\s+|merci\s+de\s+|por\s+favor\s+|per\s+favore\s+)?"
            r"(?:" + _alt(CONTACT_VERBS.values()) + r")(?:-(?:nous|moi|vous|nos|ci|le|la))?"
            r"(?:\s+(?:sie|du|ihr|uns|mich|nous|nos|ci))*"
            r"(?:\s+(?:us|me|them|our(?:\s+(?:team|support|customer\s+service|store|shop|site|website))?|anytime|directly|"
            r"today|now|here|on|gerne|jederzeit|direkt))*\s*$",
            regex.IGNORECASE),
        # a label ending the text before a contact ("Tel: ", "E-Mail: ", "电话：", "WhatsApp ").
        "LABEL": (
            r"(?:^|(?<=[\s,;|(（【\[/·]))(?:(?:" + LABELS + r")(?:\s*(?:no\.?|nr\.?|n°|#|number|id|address))?\.?\s*[:：]?"
            r"|(?:" + COLON_LABELS + r")\s*[:：])\s*$"
            r"|" + CJK_LABELS + r"\s*[:：]?\s*$"
            # a phone emoji standing for "Tel:" ("WhatsApp 📱 347 …")
            r"|[☎📞📱✆]\ufe0f?\s*[:：]?\s*$",
            regex.IGNORECASE),
        # a preposition making a contact verb a means phrase ("by emailing x", "en llamando al …").
        "MEANS_BEFORE": (r"(?:^|(?<=\s))(?:by|via|per|par|en|mediante|tramite)\s+$", regex.IGNORECASE),
        # a contact verb opening the removed text: the removal is a whole call to action.
        "CONTACT_VERB_START": (
            r"(?:please\s+|bitte\s+|por\s+favor\s+|per\s+favore\s+)?(?:" + _alt(CONTACT_VERBS.values()) + r")\b",
            regex.IGNORECASE),
        # what a call to action offers ("… for recipes", "… pour plus de couleurs"), to the sentence end.
        "PURPOSE": (r"[ \t]*(?:for|to|pour|für|zu|para|per)\b[^.!?。！？]*[.!?。！？]*[ \t]*$", regex.IGNORECASE),
        # a Japanese particle left with nothing after it ("ご不明点は").
        "CJK_PARTICLE_END": (r"[はをへにが][ \t]*$", 0),
        # an extension after a phone number ("ext. 207", "poste 12", "Durchwahl 3", "转 8"): it goes with the number.
        "EXTENSION": (r"[ \t]*,?[ \t]*(?:ext\.?|extn\.?|extension|poste|int\.|interno|durchwahl|dw\.|x(?=\d)|转|轉|"
                      r"分机|分機|内線|内线)[ \t]*\d{1,6}(?!\d)", regex.IGNORECASE),
        # a Japanese particle that needs the words the removal took ("…をご覧ください" without the site).
        "CJK_PARTICLE_START": (r"[ \t]*(?:[をでにへがは]|から|より|まで)", 0),
        # an arrow or a "here" pointing at what the removal took ("取扱説明書はこちら→", "Manual 👉").
        "POINTER_END": (r"(?:[→➔➜➡⇒▶►👉]\ufe0f?|->|>>|こちら|这里|這裡|点击|點擊)[ \t:：]*$", 0),
        "CJK_VERB": (CJK_VERBS + r"\s*$", 0),
        # a Japanese particle after a contact ("…までお問い合わせください") that goes with it,
        # or what the call is for, in Chinese ("…咨询", "…垂询").
        "CJK_TRAILER": (r"\s*(?:(?:まで|へ|に)(?:ご連絡|お問い合わせ|お問合せ|お電話|ご連絡ください|お気軽に)?"
                        r"(?:ください|下さい)?|(?:咨询|諮詢|垂询|垂詢)(?![\w]))", 0),
        # A Chinese conjunction needs no space before it, and takes its comma along: "…，或访问 x" leaves no "或".
        "CONJUNCTION_BEFORE": (
            r"(?:(?:^|(?<=\s))(?:" + _alt(_longest_first(CONJUNCTION_WORDS - {"&"}))
            + r"|&|,|;|/)|[，、]?(?:或者|或是|或|以及|及|和|并且|并)|、|，|または|や)\s*$",
            regex.IGNORECASE),
        "LEAD_IN": (r"^\s*(?:" + LEAD_INS + r")\s*[?？:：]\s*$", regex.IGNORECASE),
        # text that is itself contact data: it never counts as a word that survives a removal.
        "CONTACT_TOKEN": (
            r"(?:https?://|www\.)\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)+\.[a-z]{2,}\b"
            r"|\b[\w-]+\.(?:com|net|org|de|co|uk|fr|es|it|jp|cn|io|store|shop)\b"
            r"|[+(]?\d[\d\s().\-/]{5,}\d",
            regex.IGNORECASE),
    }


def __getattr__(name: str):
    # The patterns are compiled when a fix first asks for one (fixwords.LABEL), not on import: compiling
    # them all cost about 25 ms of every start, and a run with nothing to fix needs none.
    try:
        source, flags = _patterns()[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    compiled = globals()[name] = compile_pattern(source, flags)
    return compiled

