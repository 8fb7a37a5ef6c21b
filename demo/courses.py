"""Demo courses and lessons for ``manage.py load_demo``: one published course, one draft course.

Pure data, no Django imports. Everything here was written for Reflect; the quoted voices are made up.

Lesson bodies are Markdown rendered with ``breaks`` on, so a single newline becomes a line break:
keep each paragraph on one line and separate paragraphs with a blank line.
"""


# --- Courses -------------------------------------------------------------------------------------

COURAGE_COURSE = {
    "title": "Professional courage and influence",
    "slug": "professional-courage-and-influence",
    "summary": (
        "Six short lessons on speaking up, disagreeing well and owning your mistakes at work. "
        "Read a lesson, try the small experiment, then reflect on how it went with others taking the course."
    ),
    "published": True,
    "position": 1,
    "joining": "open",
    # Two runs of the course. Learners are enrolled alternately (demo.loader); the facilitator
    # account facilitates both.
    "cohorts": [
        {"name": "Spring 2026", "starts_on": "2026-03-02"},
        {"name": "Autumn 2026", "starts_on": "2026-09-14"},
    ],
    "lessons": [
        {
            "number": 1,
            "title": "What professional courage looks like",
            "slug": "what-professional-courage-looks-like",
            "summary": "Courage at work is usually small, quiet and repeated, not heroic.",
            "body": """\
When people hear the word courage they tend to picture something dramatic: the whistle-blower, the resignation letter, the speech that changes the room. Most professional courage is far smaller than that. It is asking the question everyone else is wondering about, admitting you have not finished the report, or saying "I'm not sure that's right" in a meeting where the most senior person has just spoken.

## Small acts, often

Courage at work is less a personality trait and more a habit. Each small act makes the next one a little easier, for you and for the people watching. Some everyday examples:

- Asking for help before a deadline slips, not after.
- Pointing out a risk in a plan you did not write.
- Telling a colleague that a comment landed badly.
- Saying no to a request you cannot do well.

## Fear is information

Feeling nervous before you speak up does not mean you should stay quiet. It usually means the thing matters. Notice what the fear is telling you: perhaps that you need more facts, a better moment or a kinder way of putting it. Then decide, rather than letting the fear decide for you.

> I used to think the confident people in meetings weren't scared. Then one of them told me she rehearses every awkward question in the car park first.
> — a learner in an earlier group

**This week:** notice one moment where you held back. You do not need to do anything about it yet. Write down what you wanted to say and what stopped you, and bring it to the group.
""",
        },
        {
            "number": 2,
            "title": "Speaking up with care",
            "slug": "speaking-up-with-care",
            "summary": "How to raise a concern so that people can actually hear it.",
            "body": """\
Speaking up is only half the job. The other half is being heard. A concern raised in a way that makes people defensive often changes nothing, and it can make the next conversation harder. Care is not the opposite of courage; it is what lets courage work.

## A simple shape for raising a concern

When you have something difficult to say, it helps to have a shape to lean on, especially when you are nervous:

1. **Say what you noticed.** Stick to what you saw or heard, not what you assume it means.
2. **Say why it matters to you.** Link it to something you both care about: the customer, the deadline, the team.
3. **Ask, then listen.** "How do you see it?" invites a conversation instead of a verdict.
4. **Agree a next step.** Even a small one, such as looking at the figures together tomorrow.

## Choosing the moment

Timing matters more than wording. A concern raised privately, early and calmly usually lands better than the same words said in front of others when everyone is tired. That said, waiting for the perfect moment is a common way of never speaking at all. Good enough and soon beats perfect and never.

> What made the difference was that she came to me on the Tuesday, not at the review on Friday. I had time to fix it, and I didn't feel ambushed.
> — a team manager

**Try it:** pick one small concern you have been sitting on. Use the four steps above, and afterwards note what went as you expected and what surprised you.
""",
        },
        {
            "number": 3,
            "title": "Influence without authority",
            "slug": "influence-without-authority",
            "summary": "Getting things done with people who do not report to you.",
            "body": """\
Much of modern work happens across teams, where nobody can simply tell anyone else what to do. You may need a colleague in finance to prioritise your request, or another team to change a process that affects yours. Influence is how things move when authority does not reach.

## Influence is built before you need it

The best time to build a working relationship is before you have a favour to ask. People say yes more readily to someone they know, trust and have seen be reliable. A few habits help:

- Learn what the other team is measured on and what keeps them busy.
- Keep small promises, and say early when you cannot.
- Give credit generously and in public.
- Ask for advice, not only for help. People support what they helped to shape.

## Make it easy to say yes

When you do ask, do the work for the other person. Explain the request in a sentence, say why it matters to them as well as to you, and suggest the smallest useful first step. A request that fits into someone's day is far more likely to happen than one that needs a meeting to understand.

> I stopped sending long emails explaining why our project mattered. Now I ask what would make it easier for them, and usually the answer is something small.
> — a learner working in operations

**Reflect:** think of one person whose help you need this month. What do you know about their priorities, and what could you offer before you ask?
""",
        },
        {
            "number": 4,
            "title": "Disagreeing well",
            "slug": "disagreeing-well",
            "summary": "Disagreement that improves the decision instead of damaging the relationship.",
            "body": """\
Teams that never disagree are not usually in agreement; they are usually quiet. Good decisions need people who will say "I see it differently" and mean it kindly. Disagreeing well is a skill, and like any skill it gets easier with practice.

## Argue about the idea, not the person

Keep the focus on the problem you are both trying to solve. "This plan assumes the supplier delivers on time" is easier to discuss than "You haven't thought about the supplier". Before you disagree, try to state the other view so well that its supporters would nod along. It shows you have listened, and sometimes you discover you agree more than you thought.

## Useful phrases

- "Can I offer a different angle?"
- "What would have to be true for this to work?"
- "I might be missing something. Here's what worries me."
- "I disagree, and I'll still back whatever we decide."

## Disagree, then commit

Once a decision is made, and you have genuinely been heard, your job usually changes from arguing to helping it succeed. If you cannot do that in good conscience, say so openly rather than quietly working against it. People remember how you behaved after you lost an argument far longer than the argument itself.

> She pushed back hard in the meeting and then was the first to volunteer for the rollout. That's when I started really listening to her objections.
> — a department head

**This week:** in one conversation, try summarising the other person's view before giving yours. Notice what changes.
""",
        },
        {
            "number": 5,
            "title": "Giving and receiving difficult feedback",
            "slug": "giving-and-receiving-difficult-feedback",
            "summary": "Feedback that is specific, kind and useful, in both directions.",
            "body": """\
Feedback is one of the most useful things colleagues can give each other, and one of the most avoided. We put it off because we worry about hurting someone, or about how they will react. Yet most people, asked privately, say they would rather know.

## Giving feedback

Good feedback is specific, timely and about behaviour rather than character. "In this morning's meeting you interrupted Sam twice before he finished" is something a person can act on. "You're a bit domineering" is not. Say what you saw, what effect it had, and what you would like instead, then give the other person room to respond. They may know something you do not.

## Receiving feedback

Receiving feedback well is harder than giving it, and it is where professional courage really shows. When someone tells you something difficult:

1. Breathe, and resist the urge to explain straight away.
2. Ask a question to understand it better: "Can you give me an example?"
3. Thank them. It probably took some nerve.
4. Decide later, calmly, what you will do with it.

You do not have to agree with every piece of feedback. You do have to listen to it.

> The best thing my manager ever did was ask me, in front of the team, what she could do better. After that, feedback stopped feeling like a telling-off.
> — a learner in a previous group

**Try it:** ask one colleague, "What's one thing I could do differently that would make working with me easier?" Then just listen.
""",
        },
        {
            "number": 6,
            "title": "Take responsibility for mistakes",
            "slug": "take-responsibility-for-mistakes",
            "summary": "Owning a mistake quickly and plainly builds more trust than never making one.",
            "body": """\
Everyone makes mistakes at work. What people remember is what happened next. A mistake owned quickly and plainly often builds more trust than a clean record, because it shows colleagues that they will hear the truth from you, even when the truth is uncomfortable.

## Why it is hard

Admitting a mistake can feel like admitting you are not good enough. We worry about our reputation, about letting the team down, or about what our manager will think. So we explain, minimise, wait to see whether anyone notices, or quietly fix it and hope. These reactions are normal, but they tend to make the eventual conversation harder, and they teach those around us that mistakes are something to hide.

## Owning it well

When something has gone wrong, a clear and calm response usually includes:

1. **Say it early.** Tell the people affected as soon as you know, before they find out another way.
2. **Say it plainly.** "I sent the wrong figures to the client" is better than "there was an issue with the data".
3. **Focus on the impact.** Be clear about who is affected and how, without drama.
4. **Offer a fix.** Say what you are doing to put it right, or ask for help if you cannot do it alone.
5. **Learn from it.** Afterwards, look at what made the mistake easy to make and change that, not just yourself.

Taking responsibility is not the same as taking all the blame. Most mistakes have several causes, and a good team looks at the system as well as the person. But you can only improve the system if people are willing to say, "That one was mine."

> When he came to me straight away and said he'd got it wrong, my worry disappeared. I knew exactly where we stood, and we fixed it together by lunchtime.
> — a line manager

**Reflect:** think of a mistake you made at work that you handled well, and one you would handle differently now. What made the difference? Share one of them with the group if you feel comfortable.
""",
        },
    ],
}

DRAFT_COURSE = {
    "title": "Facilitating reflective groups",
    "slug": "facilitating-reflective-groups",
    "summary": (
        "A short course for facilitators on opening up honest, supportive conversation in a learning space. "
        "Draft: only staff can see it."
    ),
    "published": False,
    "position": 2,
    "lessons": [
        {
            "number": 1,
            "title": "Setting the tone",
            "slug": "setting-the-tone",
            "summary": "The first posts in a space shape everything that follows.",
            "body": """\
People take their cue from the first few posts they see. If a facilitator opens with a long, polished essay, learners tend to hold back; if the opening post is short, honest and ends with a question, replies follow more easily.

## Ideas for an opening post

- Share a small, real example from your own work.
- Ask one open question, not three.
- Say plainly that unfinished thoughts are welcome.

> I started writing "I'm still working this out" at the top of my first post. The replies were twice as long.
> — a facilitator

*Draft lesson: more to come.*
""",
        },
        {
            "number": 2,
            "title": "When a conversation gets stuck",
            "slug": "when-a-conversation-gets-stuck",
            "summary": "Gentle ways to restart a quiet space or calm a heated one.",
            "body": """\
Some spaces go quiet; others get heated. Both are normal, and both usually respond to a light touch rather than a big intervention.

## A quiet space

Reply to the most recent post by name, pick out one specific thing you found useful, and ask a follow-up question. Recognition is often enough to get people writing again.

## A heated space

Slow things down. Acknowledge that people care, restate what each side is saying as fairly as you can, and bring the thread back to the lesson. If a post breaks the community guidelines, ask a moderator to step in rather than arguing in public.

*Draft lesson: more to come.*
""",
        },
    ],
}

# A short course written in Spanish (issue 26): its search stems Spanish words ("reflexionar" finds
# "reflexionamos"), and its zone is Madrid's for members who have not set their own.
SPANISH_COURSE = {
    "title": "Aprender de los errores en equipo",
    "slug": "aprender-de-los-errores-en-equipo",
    "summary": "Una lección breve sobre cómo hablar de un error en el trabajo sin buscar culpables.",
    "published": True,
    "position": 3,
    "joining": "open",
    "language": "es",
    "time_zone": "Europe/Madrid",
    "cohorts": [{"name": "Primavera 2026", "starts_on": "2026-03-02"}],
    "lessons": [
        {
            "number": 1,
            "title": "La primera hora después de un error",
            "slug": "la-primera-hora-despues-de-un-error",
            "summary": "Lo que pasa justo después de admitir un error decide si el equipo aprende de él.",
            "body": """\
Cuando alguien dice «me he equivocado», el equipo aprende en la primera hora si es seguro decirlo. Una pregunta como «¿qué hizo que fuera fácil pasarlo por alto?» abre la conversación; «¿quién ha sido?» la cierra.

## Tres costumbres pequeñas

- Agradecer a quien avisa antes de preguntar nada más.
- Hablar del proceso, no de la persona.
- Acordar un cambio concreto y revisarlo una semana después.

**Para reflexionar:** piensa en la última vez que alguien admitió un error delante de ti. ¿Qué pasó en la primera hora?
""",
        },
    ],
}

DEMO_COURSES = [COURAGE_COURSE, DRAFT_COURSE, SPANISH_COURSE]
