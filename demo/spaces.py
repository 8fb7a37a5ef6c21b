"""Demo community spaces for ``manage.py load_demo``: a prompt, reflections, replies, likes and a report.

Pure data, no Django imports. Everything here was written for Reflect; the people and stories are
made up. Post bodies are Markdown rendered with ``breaks`` on: keep each paragraph on one line.

Shape of a space (``DEMO_SPACES``):

- ``course`` / ``lesson``: slugs from ``demo.courses``.
- ``prompt``: the facilitator's opening post (``author`` is a handle from ``demo.members``).
- ``days_ago``: (first, last) the posts are spread between these many days ago, in conversation order.
- ``threads``: top-level reflections, each ``{"key", "author", "body", "replies": [...]}``. A reply
  answers the thread's reflection unless it has ``"reply_to"``: the key of an earlier reply in the
  same thread. Keys are unique within a space.
- ``likes``: ``(post key, [liker handles])``. Nobody likes their own post.
- ``reports`` (optional): ``(post key, reporter handle, reason, note)``, made through the moderation
  service, so a report shows in the moderation queue.
- A thread may say ``"days_ago": N`` to start N days ago (at least two days ago makes it older
  than 48 hours whatever the time now); the others share out the space's ``days_ago`` range.
- A prompt may say ``"anonymous_posting": "allowed"`` (or ``"always"``), and a thread
  ``"anonymous": True``: posted anonymously to colleagues.
- ``visits`` (optional): ``(handle, days ago)``: a member last opened the space then (if later
  than their last post or like there, after which everyone who posted or liked is recorded as
  visiting). Members who did none of these have never opened it.
"""

COURSE = "professional-courage-and-influence"

# --- Lesson 6: Take responsibility for mistakes --------------------------------------------------

MISTAKES_SPACE = {
    "course": COURSE,
    "lesson": "take-responsibility-for-mistakes",
    "days_ago": (10, 1),
    "prompt": {
        "author": "amara_o",
        "title": "What lets a workplace learn from its mistakes?",
        "independent_reflection": False,
        # Learners may post anonymously to colleagues here (issue 23): Joanna's reflection is.
        "anonymous_posting": "allowed",
        "body": """\
Welcome to the space for lesson 6. People often tell me this is the lesson they nearly skipped, and then the one they end up talking about most.

I'll go first. Early in my operations career I signed off a delivery schedule without checking a supplier's bank holiday closures, and forty care homes got their orders two days late. What I remember now is not the mistake but my manager's first question: "What made that easy to miss?" Nobody had asked me that before, and it changed how I ran every review afterwards.

This week, think about a workplace you know well, your current one or an earlier one, and consider:

1. What happens there in the first hour after someone admits a mistake?
2. Who tends to speak up first when something goes wrong, and who stays quiet?
3. One small change that would make it easier to say "that one was mine".

Share as much or as little as you are comfortable with. Unfinished thoughts are very welcome, and please change any details that could identify colleagues or customers.""",
    },
    "threads": [
        {
            "key": "kwame_ward",
            "author": "kwame_a",
            "content_note": "mentions a near miss with a patient's medication",
            "body": """\
On our ward the first hour depends almost entirely on who is in charge that shift. A couple of years ago I nearly gave a patient the evening dose meant for the man in the next bay. Same surname, same consultant, beds side by side. I caught it at the bedside check, but only just.

I was shaking when I told the sister in charge. She thanked me, sat me down with a cup of tea, and then we filled in the incident form together. What the ward did next is the part I still think about:

1. Moved one of the patients so the names were not next to each other.
2. Added a "name alert" sticker to both drug charts.
3. Talked about it at the next morning huddle without saying who it was.

Nobody was punished for a near miss, and within a month two other nurses reported similar ones. If you're curious, the idea has a name, [just culture](https://en.wikipedia.org/wiki/Just_culture). It isn't "no blame", it's fair blame.""",
            "replies": [
                {
                    "key": "hannah_on_kwame",
                    "author": "hannah_w",
                    "body": "@kwame_a the morning huddle without names is such a good idea. In retail we tend to do the opposite: the mistake gets talked about by name, but only in the staff room when the person isn't there. I can see now why nobody ever owns up to a pricing error.",
                },
                {
                    "key": "kwame_to_hannah",
                    "author": "kwame_a",
                    "reply_to": "hannah_on_kwame",
                    "body": "@hannah_w honestly we had the staff room version too, before that sister arrived. It only changed because she did it every single time, even for tiny things like a missed signature. After a few months it just felt normal to mention them.",
                },
            ],
        },
        {
            "key": "dev_outage",
            "author": "dev_p",
            "body": """\
Last spring I pushed a config change that stopped card payments for about forty minutes on a Saturday morning. It was a one-line change and I had tested the wrong environment.

What helped was that my team runs a [blameless postmortem](https://en.wikipedia.org/wiki/Blameless_postmortem) after every incident. I wrote it up myself on the Monday, and the meeting only asked three questions:

1. What happened, minute by minute?
2. What made the wrong thing easy to do and the right thing hard?
3. What will we change so the next person can't do the same?

The answer to question 2 was that both environments looked identical in the console. We now have a bright red banner on production. I still felt awful, but I didn't feel alone, and I'd report the next one straight away.""",
            "replies": [
                {
                    "key": "priya_on_dev",
                    "author": "priya_s",
                    "body": 'This is really useful, thank you. We\'ve just started doing postmortems and I\'m worried about one thing: @dev_p how do you stop "blameless" turning into "nobody is responsible for anything"?',
                },
                {
                    "key": "dev_to_priya",
                    "author": "dev_p",
                    "reply_to": "priya_on_dev",
                    "body": "@priya_s good question. For us blameless means we don't ask *who* should be punished, but every action from the postmortem still gets a named owner and a date. I owned the red banner, for example. Responsibility moves from the past to the fix.",
                },
            ],
        },
        {
            "key": "hannah_promo",
            "author": "hannah_w",
            "body": "I'll be honest, mine is the one I'd handle differently. Last Christmas I set up a promotion on the tills with the wrong end date, so the discount ran for an extra weekend. When head office asked, I said \"the system must have reset\" and let everyone assume it was a glitch. One of my newer staff members was quietly blamed for it by the team. I told her the truth a week later and apologised, and she was gracious about it, but I know I taught the whole shop that the manager doesn't own mistakes. I'm still trying to undo that.",
            "replies": [
                {
                    "key": "amara_on_hannah",
                    "author": "amara_o",
                    "body": "Thank you for sharing this, @hannah_w. It takes courage to post the one you're not proud of. You did go back and tell her, which many people never do. Is there a small, low-stakes mistake you could own out loud in front of the team this month, so they see it happen?",
                },
            ],
        },
        {
            "key": "lucia_drawing",
            "author": "lucia_r",
            "body": """\
On site we have something that works better than any policy: a "stop card". Anyone, including the newest apprentice, can hold it up and stop the job if they think something is wrong, and nobody is allowed to ask them to justify it until the work is safe.

I used it against myself once. I realised halfway through a shift that I'd given the gang an old revision of a drawing. Stopping the job meant admitting it in front of twelve people at two in the morning. What made it bearable:

1. The supervisor said "good stop" before anything else.
2. We fixed the immediate problem first and talked about causes the next day.
3. The document control process changed, not me.

I think the "good stop" bit matters most. It makes it about the catch, not the mistake.""",
            "replies": [
                {
                    "key": "sam_on_lucia",
                    "author": "sam_k",
                    "body": '@lucia_r "good stop" is going on a sticky note above my desk. In schools we have nothing like it. When I realised I\'d entered the wrong predicted grades for a whole class, it took me two days to work up the nerve to tell my head of department. She was fine about it, but those two days were awful and the data went out to parents in the meantime.',
                },
            ],
        },
        {
            "key": "tom_housing",
            "author": "tom_bennett",
            "body": "I don't have a tidy story. Where I work, mistakes mostly come out in the monthly board report, weeks after anyone could have helped. I think the small change for us would be a standing five minutes at the start of our Monday meeting called \"what went wrong last week\", with the manager going first. I'm going to suggest it, and I'll report back.",
            "replies": [
                {
                    "key": "mei_on_tom",
                    "author": "mei_l",
                    "body": "We tried exactly that in our finance team, @tom_bennett, and the manager going first was the key. For the first few weeks it was only her. Then one of the junior officers mentioned a duplicated supplier payment and it's been easier ever since. Good luck with it.",
                },
            ],
        },
        # Two reflections no one has answered yet ("unheard" to the facilitator).
        {
            "key": "olu_depot",
            "author": "olu_a",
            "days_ago": 5,
            "body": "At the sorting centre the first hour after a mistake is silence, then a spreadsheet. Last month I loaded a cage for the wrong depot and said nothing until the driver rang from the motorway. Nobody shouted, but nobody talked about it either, and I still can't tell whether that was kindness or nobody caring. My small change would be a whiteboard by the loading bay for near misses, no names.",
            "replies": [
                {
                    "key": "olu_update",
                    "author": "olu_a",
                    "body": "A small update on my own post: I asked my manager about the whiteboard and she said to try it on my shift for a month. Three entries so far, two of them mine.",
                },
            ],
        },
        {
            "key": "joanna_dose",
            "author": "joanna_k",
            "anonymous": True,  # colleagues read "Colleague 1"; the facilitators read her name
            "days_ago": 3,
            "body": "In a pharmacy the person who speaks up first is nearly always the one who found the error, not the one who made it. I think that's the wrong way round, but I understand it. When I misread a dose last year my first instinct was to fix it quietly before anyone noticed. I did report it, because the system requires it, but it felt like a confession rather than a contribution. The change I'd make: thank people for every report in the team meeting, out loud, every time.",
        },
    ],
    # Last looked in: priya_s (replied, not reflected) yesterday, greta_l (not reflected) six days
    # ago. Never opened it: nadia_h, ravi_m.
    "visits": [("priya_s", 1), ("greta_l", 6)],
    "likes": [
        ("kwame_ward", ["amara_o", "tom_bennett", "priya_s", "lucia_r", "dev_p"]),
        ("hannah_on_kwame", ["kwame_a"]),
        ("kwame_to_hannah", ["hannah_w", "sam_k"]),
        ("dev_outage", ["priya_s", "lucia_r", "mei_l"]),
        ("priya_on_dev", ["dev_p", "tom_bennett"]),
        ("dev_to_priya", ["priya_s", "amara_o", "mei_l"]),
        ("hannah_promo", ["mei_l", "tom_bennett", "sam_k", "amara_o"]),
        ("amara_on_hannah", ["hannah_w"]),
        ("lucia_drawing", ["kwame_a", "dev_p", "sam_k"]),
        ("sam_on_lucia", ["lucia_r"]),
        ("tom_housing", ["priya_s", "mei_l"]),
        ("mei_on_tom", ["tom_bennett"]),
    ],
    # One open report, so the moderation queue has something real to show in the demo.
    "reports": [
        (
            "hannah_promo",
            "lucia_r",
            "other",
            "Could a moderator check this? The shop and the manager might be recognisable to people who live nearby.",
        ),
    ],
}

# --- Lesson 5: Giving and receiving difficult feedback (independent reflection) ------------------

FEEDBACK_SPACE = {
    "course": COURSE,
    "lesson": "giving-and-receiving-difficult-feedback",
    "days_ago": (17, 12),
    "prompt": {
        "author": "amara_o",
        "title": "What is the most useful difficult feedback you have been given?",
        "independent_reflection": True,
        "body": """\
Welcome to lesson 5. This activity works a little differently: you'll see everyone else's reflections once you have posted your own. That way your first thoughts are your own, not a reply to whoever went first.

Think back to a piece of feedback that was hard to hear at the time but turned out to be useful. What did the person say, how did you react in the moment, and what did you do with it afterwards?

If nothing comes to mind, try the experiment from the lesson this week and write about that instead.""",
    },
    "threads": [
        {
            "key": "mei_reports",
            "author": "mei_l",
            "body": "My first manager told me my month-end reports were accurate but impossible to read. I was hurt, because I'd worked so hard on the accuracy. She showed me one page where the key figure was on row 84. Now I put the answer at the top and the workings underneath, and people actually read them.",
        },
        {
            "key": "sam_lesson_obs",
            "author": "sam_k",
            "body": "After a lesson observation a colleague said I answered my own questions before the students had time to think. I argued with her in my head for about a week. Then I started counting to five silently after every question, and the quiet kids began putting their hands up. It's the most useful thing anyone has told me about teaching.",
        },
        {
            "key": "priya_meetings",
            "author": "priya_s",
            "body": """\
When I became team leader, one of the developers told me, kindly but directly, that I "summarise people into agreement" in meetings. I didn't understand at first, so I asked for an example, which is what the lesson suggests. He was right: I was restating objections in a way that made them sound smaller. What I changed:

1. I ask the person whether my summary is fair before moving on.
2. I leave the last five minutes for anything nobody has said yet.""",
        },
        {
            "key": "lucia_handover",
            "author": "lucia_r",
            "body": "A night supervisor once told me my handover notes were written for me, not for the person reading them at 6am. It stung because I was proud of being thorough. Now I write three lines at the top: what's finished, what isn't, and what could go wrong. He still teases me about it.",
        },
    ],
    "likes": [
        ("mei_reports", ["sam_k", "priya_s"]),
        ("sam_lesson_obs", ["mei_l", "lucia_r", "amara_o"]),
        ("priya_meetings", ["sam_k", "amara_o"]),
        ("lucia_handover", ["priya_s", "mei_l"]),
    ],
}

# --- Lessons 1 to 4: the earlier weeks, so learners have reflected on some lessons and not others ---

COURAGE_SPACE = {
    "course": COURSE,
    "lesson": "what-professional-courage-looks-like",
    "days_ago": (22, 19),
    "prompt": {
        "author": "amara_o",
        "title": "Where did you hold back this week?",
        "independent_reflection": False,
        "body": """\
Welcome to the course, and to the first community space. Each lesson has one, and this is where most of the learning happens.

Think of one moment in the last week when you wanted to say something at work and didn't. It does not need to be important; small is better.

- What did you want to say?
- What stopped you?

You don't need to have done anything about it. Noticing is the whole task this week.""",
    },
    "threads": [
        {
            "key": "tom_golive",
            "author": "tom_bennett",
            "body": "At Tuesday's project board our director said the new repairs system would go live in March. Everyone in my team knows it won't be ready, and I said nothing. Two things stopped me: I'd have been the only one saying it, and I didn't have the test figures with me. Writing it down, I notice the second one is easy to fix.",
        },
        {
            "key": "priya_standup",
            "author": "priya_s",
            "body": "A developer in my team keeps being talked over in stand-ups by one of the senior engineers. I notice it every time and say nothing. He was my peer until two months ago, and I think I'm afraid it will look as if I'm using my new title on him.",
        },
        {
            "key": "kwame_plan",
            "author": "kwame_a",
            "body": "Mine is tiny. A consultant wrote a plan I found unclear and I didn't ask him what he meant. I asked the registrar afterwards instead. Same answer, forty minutes later, and the patient waited for it.",
            "replies": [
                {
                    "key": "amara_on_kwame_plan",
                    "author": "amara_o",
                    "body": "@kwame_a tiny is exactly the size this lesson is about. What would asking him directly have needed: a different moment, or a different sentence?",
                },
                {
                    "key": "kwame_to_amara",
                    "author": "kwame_a",
                    "reply_to": "amara_on_kwame_plan",
                    "body": '@amara_o a sentence, I think. "Can I check I\'ve understood the plan?" puts the question on me rather than on him.',
                },
            ],
        },
        {
            "key": "sam_parents",
            "author": "sam_k",
            "body": "Parents' evening. A father blamed a colleague for his son's marks and I nodded along because I wanted the appointment to end. What stopped me was tiredness, mostly: it was my eleventh conversation of the evening.",
        },
        {
            "key": "ravi_stairs",
            "author": "ravi_m",
            "body": "In Thursday's design review I noticed the stair landing in the lead architect's drawing looked too narrow. I stayed quiet because I assumed someone senior must have checked it. Before next week's review I'm going to look the requirement up properly.",
            "replies": [
                {
                    "key": "greta_on_ravi",
                    "author": "greta_l",
                    "body": '@ravi_m "someone senior must have checked" is a sentence I hear a lot in investigations, always afterwards. Looking it up first sounds like a good plan.',
                },
            ],
        },
        {
            "key": "greta_hearing",
            "author": "greta_l",
            "body": "I sat in a disciplinary hearing where the manager's notes didn't match what the employee had told me beforehand. I should have asked for a pause. I held back because it wasn't my hearing, I was only there to advise. But advising is exactly the job.",
        },
    ],
    "likes": [
        ("tom_golive", ["priya_s", "kwame_a", "amara_o"]),
        ("priya_standup", ["sam_k", "tom_bennett"]),
        ("kwame_plan", ["sam_k", "greta_l"]),
        ("kwame_to_amara", ["amara_o"]),
        ("ravi_stairs", ["greta_l", "tom_bennett"]),
        ("greta_hearing", ["ravi_m", "priya_s"]),
    ],
}

CARE_SPACE = {
    "course": COURSE,
    "lesson": "speaking-up-with-care",
    "days_ago": (19, 16),
    "prompt": {
        "author": "amara_o",
        "title": "How did your four steps go?",
        "independent_reflection": False,
        "body": """\
This week's experiment was to raise one small concern using the four steps: what you noticed, why it matters, ask and listen, agree a next step.

Tell us how it went. What happened as you expected, and what surprised you? Attempts that went badly are just as useful to read as the ones that worked.""",
    },
    "threads": [
        {
            "key": "tom_figures",
            "author": "tom_bennett",
            "body": "I went back to the director about the go-live date, with figures this time: three of the five test scripts failing, and what that would mean for tenants' repairs. Then I asked how she saw it. She hadn't seen the test report at all. We now go live in May. The figures were the step I would have skipped before.",
            "replies": [
                {
                    "key": "kwame_on_tom",
                    "author": "kwame_a",
                    "body": "@tom_bennett March to May from one conversation! Did she mind it coming from you rather than the supplier?",
                },
                {
                    "key": "tom_to_kwame",
                    "author": "tom_bennett",
                    "reply_to": "kwame_on_tom",
                    "body": "@kwame_a she asked why the supplier hadn't told her, which was a better question than the one I'd been dreading.",
                },
            ],
        },
        {
            "key": "kwame_trolley",
            "author": "kwame_a",
            "body": "I tried step 3 with a healthcare assistant who keeps leaving the drug trolley unlocked. When I asked instead of telling, it turned out the lock sticks and she had reported it twice. Estates are fixing it on Monday. Without the lesson I'd have gone straight to a telling-off.",
        },
        {
            "key": "lucia_cabin",
            "author": "lucia_r",
            "body": "I raised the state of the site cabin with the main contractor's supervisor. The first three steps went fine, but I rushed the last one and we didn't agree anything specific, so nothing has changed. Next time I'll arrive with a next step already written down.",
        },
        {
            "key": "dev_rota",
            "author": "dev_p",
            "body": "I raised our on-call rota (two people covering most weekends) in my one-to-one rather than in the team retrospective. My manager hadn't noticed because nobody had complained. The private conversation felt far safer, and she's bringing it to the retro herself.",
        },
        {
            "key": "greta_friday",
            "author": "greta_l",
            "body": "Mine didn't go well. I chose a Friday afternoon, the manager was packing up to leave, and he heard my concern about a probation review as criticism. The same words on a Tuesday morning might have landed. Timing was the one part of the lesson I skipped.",
        },
    ],
    "likes": [
        ("tom_figures", ["kwame_a", "dev_p", "lucia_r", "amara_o"]),
        ("tom_to_kwame", ["kwame_a"]),
        ("kwame_trolley", ["tom_bennett", "greta_l"]),
        ("lucia_cabin", ["dev_p"]),
        ("greta_friday", ["lucia_r", "amara_o"]),
    ],
}

INFLUENCE_SPACE = {
    "course": COURSE,
    "lesson": "influence-without-authority",
    "days_ago": (17, 14),
    "prompt": {
        "author": "amara_o",
        "title": "Whose help do you need this month?",
        "independent_reflection": False,
        "body": """\
Think of one person outside your own team whose help you will need in the next few weeks.

What do you know about their priorities and what they are measured on? What could you offer before you ask? If you don't know, that is worth noticing too.""",
    },
    "threads": [
        {
            "key": "priya_support",
            "author": "priya_s",
            "body": "I need our support team lead to share customer complaints with us every week. I realised I had no idea what she's measured on, so I asked: first-response time. If we tag the bugs we already know about, her team can answer faster. That's my offer.",
            "replies": [
                {
                    "key": "hannah_on_priya",
                    "author": "hannah_w",
                    "body": "@priya_s asking what someone is measured on is so simple. I'm going to try it on our regional buyer.",
                },
            ],
        },
        {
            "key": "kwame_pharmacy",
            "author": "kwame_a",
            "body": "The pharmacy team, for faster discharge medicines. Their priority is fewer urgent calls at five o'clock, so I've offered to send them the discharge list at two, even when it isn't complete.",
        },
        {
            "key": "hannah_buyer",
            "author": "hannah_w",
            "body": "Our regional buyer decides which plants we get in spring. I usually send long wish-lists. This year I'm sending one photo of last April's empty bench and one number: how many customers asked for what should have been on it.",
        },
        {
            "key": "mei_giftaid",
            "author": "mei_l",
            "body": "I need the fundraising team to send gift aid forms on time. So far I have only ever chased them. I'm going to ask their manager what makes the forms late, and offer to fill in the parts finance already knows.",
        },
        {
            "key": "greta_director",
            "author": "greta_l",
            "body": "A service director whose managers keep skipping return-to-work meetings. I've booked twenty minutes with him to ask what gets in the way, before I say a word about the policy.",
        },
    ],
    "likes": [
        ("priya_support", ["hannah_w", "mei_l", "amara_o"]),
        ("hannah_buyer", ["priya_s", "kwame_a"]),
        ("mei_giftaid", ["greta_l"]),
        ("greta_director", ["mei_l", "priya_s"]),
    ],
}

DISAGREEING_SPACE = {
    "course": COURSE,
    "lesson": "disagreeing-well",
    "days_ago": (15, 12),
    "prompt": {
        "author": "amara_o",
        "title": "When did you last disagree, and how did it go?",
        "independent_reflection": False,
        "scaffold": "gibbs",
        "suggested_words": 150,
        "body": """\
This time the composer walks you through Gibbs' reflective cycle, one short section at a time. Fill in the sections you have something for; if the structure gets in your way, choose "Write freely instead".

Think of a recent disagreement at work, one you voiced or one you kept to yourself.

Could you state the other person's view so well that they would nod along? Looking back, what would you keep and what would you change about how it went?""",
    },
    "threads": [
        {
            "key": "priya_settings",
            "author": "priya_s",
            "body": 'Our designer and I disagreed about removing a settings page. Before the meeting I wrote his view down in one line: "the people who rely on it will be lost". He nodded when I read it out, and the rest of the conversation was much calmer. We kept the page and tucked the rarely used parts away.',
        },
        {
            "key": "sam_evenings",
            "author": "sam_k",
            "body": "I disagreed with our head about moving parents' evenings online. I kept to the idea, mostly, but I slipped once and said \"you haven't asked the staff\". That one sentence is all anyone remembers of the meeting.",
            "replies": [
                {
                    "key": "dev_on_sam",
                    "author": "dev_p",
                    "body": "@sam_k I've done exactly that. Nine sentences about the problem, one about the person, and the one about the person becomes the headline.",
                },
            ],
        },
        {
            "key": "mei_timetable",
            "author": "mei_l",
            "body": """\
## Description

At a department meeting I disagreed with moving all the exam revision sessions to lunchtimes.

## Feelings

I was nervous, and annoyed with myself for sounding defensive.

## Analysis

I argued about the person who proposed it rather than the timetable. Summarising her reasons first, as the lesson suggests, would have kept us on the problem.

## Action plan

Next time I will say back the other view before I give mine.""",
        },
        {
            "key": "dev_retries",
            "author": "dev_p",
            "body": "In a design review I said our retry logic could charge a customer twice. The senior engineer disagreed, so we agreed to write a test that would prove one of us wrong. It proved me right, but because the test decided, nobody lost face.",
        },
    ],
    "likes": [
        ("priya_settings", ["sam_k", "dev_p", "amara_o"]),
        ("sam_evenings", ["priya_s"]),
        ("dev_retries", ["sam_k", "priya_s"]),
    ],
}

# --- A course in Spanish (issue 26) --------------------------------------------------------------

SPANISH_SPACE = {
    "course": "aprender-de-los-errores-en-equipo",
    "lesson": "la-primera-hora-despues-de-un-error",
    "days_ago": (6, 2),
    "prompt": {
        "author": "amara_o",
        "title": "¿Qué pasó en la primera hora?",
        "independent_reflection": False,
        "body": """\
Bienvenidos. Esta semana reflexionamos sobre lo que ocurre justo después de que alguien admite un error.

Cuenta un caso que conozcas bien: ¿quién habló primero, qué se preguntó y qué cambió después? Cambia los detalles que puedan identificar a compañeros o clientes.""",
    },
    "threads": [
        {
            "key": "lucia_turno",
            "author": "lucia_r",
            "body": "En mi turno una compañera avisó de que había etiquetado mal unas muestras. La supervisora le dio las gracias antes de nada y luego revisamos juntas el circuito de etiquetado. Al día siguiente otra persona se atrevió a contar un fallo parecido.",
            "replies": [
                {
                    "key": "amara_sobre_lucia",
                    "author": "amara_o",
                    "body": "@lucia_r ese «gracias» primero es justo la costumbre de la lección. ¿Qué cambiasteis en el circuito?",
                },
            ],
        },
        {
            "key": "nadia_reunion",
            "author": "nadia_h",
            "body": "En mi antiguo equipo la primera pregunta siempre era «¿quién ha sido?». Aprendimos a callar los errores pequeños hasta que uno se hizo grande. Me gustaría reflexionar más sobre cómo cambiar esa primera pregunta sin ser la jefa.",
        },
    ],
    "likes": [("lucia_turno", ["nadia_h", "amara_o"]), ("nadia_reunion", ["lucia_r"])],
}

DEMO_SPACES = [
    COURAGE_SPACE, CARE_SPACE, INFLUENCE_SPACE, DISAGREEING_SPACE, FEEDBACK_SPACE, MISTAKES_SPACE, SPANISH_SPACE,
]  # fmt: skip
