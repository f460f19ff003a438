"""Russian translations of the demo pages, for load_demo: made the way an organiser would (Wagtail's
"Translate" action, `copy_for_translation`), then edited and published. Idempotent."""

from wagtail.models import Locale

from home.models import StandardPage
from programme.models import ProgrammePage, Room, SessionPage, SpeakerIndexPage, SpeakerPage, Track
from registration.models import RegistrationType

RUSSIAN = "ru"

HOME = {
    "title": "Конференции по снижению вреда",
    "intro": "<p>Региональные конференции по снижению вреда Евразийской сети снижения вреда и её партнёров.</p>",
}

CONFERENCE = {
    "title": "Снижение вреда в новых условиях",
    "tagline": (
        "Снижение вреда и наркополитика в Центральной и Восточной Европе и Центральной Азии после ухода доноров"
    ),
    "intro": (
        "<p>Три дня в Вильнюсе для людей, употребляющих наркотики, аутрич-работников, юристов, медиков и "
        "политиков из Центральной и Восточной Европы и Центральной Азии: подведём итоги снижения вреда в "
        "регионе, откуда уходят доноры и где ответственность должны взять на себя государства.</p>"
    ),
    "body": [
        (
            "paragraph",
            "<h2>Зачем эта конференция</h2><p>Снижение вреда в Центральной и Восточной Европе и Центральной Азии "
            "создавалось на международные деньги. Глобальный фонд и другие доноры уходят, и теперь программы "
            "обмена игл и шприцев, опиоидная заместительная терапия и сервисы, которые ведут сами сообщества, "
            "зависят от национальных бюджетов и от того, видят ли государства в людях, употребляющих наркотики, "
            "граждан с правами.</p>"
            "<p>Конференция собирает сети консорциума во главе с Евразийской сетью снижения вреда и партнёров из "
            "IDPC, HRI, Youth RISE, MENAHRA, EuroNPUD и ЕСЛУН, чтобы обменяться тем, что работает в новых "
            "условиях.</p>",
        ),
        (
            "quote",
            {
                "quote": "Уличные юристы в 8 странах задокументировали 176 случаев нарушения прав людей, "
                "употребляющих наркотики. За каждым случаем стоит человек, и каждый показывает, где нужно "
                "менять закон.",
                "attribution": "Проект «С улицы — в правительство»",
            },
        ),
        (
            "paragraph",
            "<h2>«С улицы — в правительство»</h2><p>Проект обучил уличных юристов, которые работают там, где живут "
            "люди, употребляющие наркотики, задокументировал нарушения — от полицейского насилия до отказа в "
            "лечении — и донёс доказательства до министерств и парламентов. Его выводы открывают "
            "конференцию.</p>",
        ),
        (
            "faq",
            {
                "heading": "Вопросы",
                "items": [
                    {
                        "question": "Кто может участвовать?",
                        "answer": "<p>Все, кто работает в сфере снижения вреда в регионе или вместе с ней: "
                        "представители сообществ, сотрудники сервисов, исследователи, чиновники и доноры.</p>",
                    },
                    {
                        "question": "На каких языках?",
                        "answer": "<p>На английском и русском, с синхронным переводом в пленарном зале.</p>",
                    },
                    {
                        "question": "Останутся ли мои данные конфиденциальными?",
                        "answer": "<p>Да. Мы храним только то, что нужно для конференции, никому не передаём и "
                        "удаляем после неё. Вы можете в любой момент скачать или удалить свои данные.</p>",
                    },
                ],
            },
        ),
    ],
}

INFO_PAGES = {
    "travel-and-visas": {
        "title": "Дорога и визы",
        "intro": "Как добраться до Вильнюса, визы в Литву и Шенгенскую зону, местный транспорт.",
        "body": "<p>Международный аэропорт Вильнюса находится в 6 км от центра города; автобус 88 и поезда ходят "
        "каждые 20 минут. Участники из стран, где нужна шенгенская виза, получат приглашение после "
        "подтверждения регистрации: подавайте документы не позднее чем за шесть недель до конференции.</p>",
    },
    "venue-accessibility": {
        "title": "Доступность площадки",
        "intro": "Вход без ступенек, лифты, тихая комната и о чём можно нас попросить.",
        "body": "<p>Во все залы конференции можно попасть без ступенек и на лифте. На каждом этаже есть "
        "доступный туалет, на первом этаже — тихая комната. Сообщите о любых потребностях при регистрации, и мы "
        "с вами свяжемся.</p>",
    },
    "code-of-conduct": {
        "title": "Правила поведения",
        "intro": "Уважение к каждому участнику, независимо от употребления наркотиков, ВИЧ-статуса, гендера "
        "или происхождения.",
        "body": "<p>Стигматизирующие высказывания о людях, употребляющих наркотики, домогательства и "
        "фотографирование людей без их согласия недопустимы. Обратитесь к любому организатору с красным "
        "шнурком для бейджа.</p>",
    },
    "privacy": {
        "title": "Уведомление о конфиденциальности",
        "intro": "Какие данные мы собираем при регистрации, зачем, кто их видит и когда мы их удаляем.",
        "body": "<p>Мы собираем ваше имя, имя для бейджа, организацию, страну и потребности, о которых вы "
        "сообщаете, — только для проведения конференции. Сотрудники на входе видят лишь имя на бейдже, "
        "организацию и тип регистрации. QR-код не содержит персональных данных. Персональные данные удаляются "
        "через 90 дней после конференции; вы можете скачать или удалить их раньше в своём личном кабинете.</p>",
    },
}

PROGRAMME = {
    "title": "Программа",
    "intro": "<p>Три дня пленарных заседаний, панельных дискуссий, семинаров и тренингов на английском и "
    "русском языках. Отметьте сессии, которые хотите посетить, — они появятся в вашей личной программе.</p>",
}

SPEAKER_INDEX = {
    "title": "Докладчики",
    "intro": "<p>Докладчики из сетей-партнёров. <b>Демо:</b> все профили здесь вымышлены.</p>",
}

DEMO_NOTE = "Вымышленный демо-профиль: такого человека не существует."

# Sessions and speakers translated in the demo, by the English page's slug. The others show the English page
# under /ru/ with a note (HomePage.route), the way a partly translated programme looks to a visitor.
SESSIONS = {
    "opening": (
        "Открытие: снижение вреда в новых условиях",
        "Приветствие организаторов и сообщества: что изменилось с тех пор, как доноры начали уходить из региона.",
    ),
    "from-street-to-government": (
        "«С улицы — в правительство»: 176 случаев и что они изменили",
        "Уличные юристы из восьми стран рассказывают о задокументированных нарушениях прав и о реформах, "
        "которых им удалось добиться.",
    ),
    "community-led-testing": (
        "Тестирование на ВИЧ силами сообществ, которое не заканчивается с грантом",
        "Пункты тестирования, которые ведут равные консультанты в Казахстане и Таджикистане: как они появились, "
        "кто платит за них сейчас и что говорят клиенты.",
    ),
    "naloxone-in-every-pocket": (
        "Налоксон в каждом кармане",
        "Учимся распознавать передозировку и вводить налоксон; наборы для вашего сервиса можно забрать с собой.",
    ),
    "ost-in-prisons": (
        "Заместительная терапия за решёткой",
        "Кыргызстан, Азербайджан и Марокко сравнивают ОЗТ в местах лишения свободы и непрерывность лечения после "
        "освобождения.",
    ),
    "police-and-harm-reduction": (
        "Полиция и снижение вреда: от облав к перенаправлению",
        "Что изменилось там, где полицейских обучали вместе с представителями сообществ, и почему ничего не "
        "изменилось в других местах.",
    ),
    "women-who-use-drugs": (
        "Сервисы, которые выбирают женщины, употребляющие наркотики",
        "Присмотр за детьми, убежища, насилие и опека: создаём сервисы вместе с женщинами, а не для них.",
    ),
}

SPEAKERS = {
    "aliya-demo-nurlanova": (
        "Алия Нурланова (демо)",
        "Казахстан",
        "она",
        "Координатор аутрича равных консультантов, создавшая сеть пунктов тестирования силами сообщества в Алматы.",
    ),
    "tomas-demo-kairys": (
        "Томас Кайрис (демо)",
        "Литва",
        "он",
        "Специалист по политике, работающий над устойчивостью программ снижения вреда после перехода от "
        "финансирования Глобального фонда.",
    ),
    "giorgi-demo-beridze": (
        "Георгий Беридзе (демо)",
        "Грузия",
        "он",
        "Уличный юрист, документировавший случаи полицейского насилия в проекте «С улицы — в правительство».",
    ),
    "elena-demo-moraru": (
        "Елена Морару (демо)",
        "Молдова",
        "она",
        "Исследовательница реформы законодательства о наркотиках и альтернатив наказанию в Восточной Европе.",
    ),
    "sergei-demo-volkov": (
        "Сергей Волков (демо)",
        "Россия",
        "он",
        "Активист сообщества людей, употребляющих наркотики, защищающий доступ к опиоидной заместительной терапии.",
    ),
    "marina-demo-petrenko": (
        "Марина Петренко (демо)",
        "Украина",
        "она",
        "Молодёжная активистка, ведущая в Киеве проекты по проверке веществ и более безопасным вечеринкам.",
    ),
}


def russian_locale():
    locale, _ = Locale.objects.get_or_create(language_code=RUSSIAN)
    return locale


def translate_page(page, locale, fields, sync_fields=()):
    """Create (via copy_for_translation) or update the `locale` translation of `page`, set `fields`, copy
    `sync_fields` from the source (times and rooms must not drift between languages) and publish it."""
    page = page.specific
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True)
    translation = translation.specific
    if translation.alias_of_id:
        # A parent copied along as an alias becomes an ordinary translated page.
        translation.alias_of = None
    for name in sync_fields:
        setattr(translation, name, getattr(page, name))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation.specific_class.objects.get(pk=translation.pk)


# Names kept on plain models (rooms, tracks, registration types) carry a Russian column of their own.
ROOM_NAMES = {
    "plenary-hall": "Пленарный зал «Литва»",
    "vilnius-room": "Зал «Вильнюс»",
    "neris-room": "Зал «Нерис»",
    "trakai-room": "Зал «Тракай»",
}
TRACK_NAMES = {
    "community-led-services": "Услуги под руководством сообществ",
    "drug-policy-human-rights": "Наркополитика и права человека",
    "hiv-hcv-ost": "ВИЧ, ВГС и ОЗТ",
    "funding-after-transition": "Финансирование после ухода доноров",
}
REGISTRATION_TYPES = {
    "participant": ("Участник", "Все три дня: пленарные заседания, секции, мастер-классы, обед и кофе-брейки."),
    "speaker": ("Докладчик", "Для выступающих в программе; программный комитет подтвердит вашу регистрацию."),
    "scholarship": (
        "Стипендия",
        "Оплата проезда, проживания и взноса; приоритет у представителей сообществ и аутрич-работников. "
        "Каждую заявку рассматривает организатор.",
    ),
    "press": ("Пресса", "Журналисты. Пожалуйста, уважайте бейджи «без фото» и закрытые сессии."),
    "community-skills-workshop": (
        "Мастер-класс для сообществ",
        "Практический день накануне конференции: налоксон, поддержка равных и более безопасное употребление. "
        "Десять мест.",
    ),
}


def load_name_translations(conference):
    """Russian names of the demo's rooms, tracks and registration types."""
    for slug, name in ROOM_NAMES.items():
        Room.objects.filter(conference=conference, slug=slug).update(name_ru=name)
    for slug, name in TRACK_NAMES.items():
        Track.objects.filter(conference=conference, slug=slug).update(name_ru=name)
    for slug, (name, description) in REGISTRATION_TYPES.items():
        RegistrationType.objects.filter(conference=conference, slug=slug).update(
            name_ru=name, description_ru=description
        )


SESSION_SYNC_FIELDS = ("kind", "start", "end", "room", "track", "language", "interpretation", "status")


def load_translations(conference):
    """Create or update the Russian versions of the demo conference's pages."""
    locale = russian_locale()
    load_name_translations(conference)
    home = conference.get_parent().specific
    translate_page(home, locale, HOME)
    translate_page(conference, locale, CONFERENCE)
    for page in StandardPage.objects.child_of(conference):
        if page.slug in INFO_PAGES:
            info = INFO_PAGES[page.slug]
            fields = {"title": info["title"], "intro": info["intro"], "body": [("paragraph", info["body"])]}
            translate_page(page, locale, fields)
    programme = ProgrammePage.objects.child_of(conference).first()
    if programme is not None:
        translate_page(programme, locale, PROGRAMME)
        for session in SessionPage.objects.child_of(programme).filter(slug__in=SESSIONS):
            title, abstract = SESSIONS[session.slug]
            fields = {"title": title, "abstract": [("paragraph", f"<p>{abstract}</p>")]}
            translate_page(session, locale, fields, sync_fields=SESSION_SYNC_FIELDS)
    speaker_index = SpeakerIndexPage.objects.child_of(conference).first()
    if speaker_index is not None:
        translate_page(speaker_index, locale, SPEAKER_INDEX)
        for speaker in SpeakerPage.objects.child_of(speaker_index).filter(slug__in=SPEAKERS):
            name, country, pronouns, short_bio = SPEAKERS[speaker.slug]
            fields = {
                "title": name,
                "country": country,
                "pronouns": pronouns,
                "short_bio": short_bio,
                "bio": f"<p>{short_bio}</p><p><i>{DEMO_NOTE}</i></p>",
            }
            translate_page(speaker, locale, fields, sync_fields=("organisation", "photo"))
    # The Russian conference's privacy notice is the Russian privacy page.
    if conference.privacy_notice_id:
        ru_conference = conference.get_translation(locale)
        ru_privacy = conference.privacy_notice.get_translation_or_none(locale)
        if ru_privacy is not None and ru_conference.privacy_notice_id != ru_privacy.pk:
            ru_conference.privacy_notice = ru_privacy
            ru_conference.save_revision().publish()
