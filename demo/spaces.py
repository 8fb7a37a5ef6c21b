"""Demo community spaces for ``manage.py load_demo``: a prompt, reflections, replies, likes and a report.

Pure data, no Django imports. Everything here was written for Reflect; the people and stories are
made up. Post bodies are Markdown rendered with ``breaks`` on: keep each paragraph on one line.

Shape of a space (``DEMO_SPACES``):

- ``course`` / ``lesson``: slugs from ``demo.courses``.
- ``prompt``: the facilitator's opening post (``author`` is a handle from ``demo.members``); optional
  ``scaffold`` (a key of ``community.scaffolds.SCAFFOLDS``) and ``suggested_words``.
- ``days_ago``: (first, last) the posts are spread between these many days ago, in conversation order.
- ``threads``: top-level reflections, each ``{"key", "author", "body", "replies": [...]}``. A reply
  answers the thread's reflection unless it has ``"reply_to"``: the key of an earlier reply in the
  same thread. Keys are unique within a space.
- ``likes``: ``(post key, [liker handles])``. Nobody likes their own post.
- ``reports`` (optional): ``(post key, reporter handle, reason, note)``, made through the moderation
  service, so a report shows in the moderation queue.
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
    ],
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

# --- Lesson 4: Disagreeing well (written in Gibbs' reflective cycle) --------------------------------

DISAGREEING_SPACE = {
    "course": COURSE,
    "lesson": "disagreeing-well",
    "days_ago": (24, 20),
    "prompt": {
        "author": "amara_o",
        "title": "A disagreement you handled, or wish you had handled differently",
        "independent_reflection": False,
        "scaffold": "gibbs",
        "suggested_words": 150,
        "body": """\
Welcome to lesson 4. This time the composer walks you through Gibbs' reflective cycle, one short section at a time. Fill in the sections you have something for; if the structure gets in your way, choose "Write freely instead".

Pick one disagreement from the last few months, at work or elsewhere, and take it round the cycle.""",
    },
    "threads": [
        {
            "key": "sam_timetable",
            "author": "sam_k",
            "body": """\
## Description

At a department meeting I disagreed with moving all the exam revision sessions to lunchtimes.

## Feelings

I was nervous, and annoyed with myself for sounding defensive.

## Analysis

I argued about the person who proposed it rather than the timetable. Summarising her reasons first, as the lesson suggests, would have kept us on the problem.

## Action plan

Next time I will say back the other view before I give mine.""",
            "replies": [
                {
                    "key": "mei_timetable",
                    "author": "mei_l",
                    "body": "Saying back the other view first has worked for me too. It slows the whole conversation down in a good way.",
                },
            ],
        },
    ],
    "likes": [("sam_timetable", ["mei_l", "amara_o"])],
}

DEMO_SPACES = [DISAGREEING_SPACE, FEEDBACK_SPACE, MISTAKES_SPACE]
