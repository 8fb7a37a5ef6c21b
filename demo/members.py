"""Demo members for ``manage.py load_demo``: the sign-in accounts and the other learners.

Pure data, no Django imports. The people are made up.

DEMO_PASSWORD is for local demos only. It is public (it is in this file and the README), so never
load the demo accounts into a site that real people use.
"""

DEMO_PASSWORD = "reflect-demo-2026"


# --- Sign-in accounts ---------------------------------------------------------------------------
# One per role, printed by load_demo and listed in the README. "group" is a role name from
# accounts.roles; "role" is what the sign-in table shows.

DEMO_ACCOUNTS = [
    {
        "role": "Facilitator",
        "group": "Facilitator",
        "email": "facilitator@example.com",
        "handle": "amara_o",
        "display_name": "Amara Okafor",
        "bio": "Facilitator for Professional courage and influence. Former operations lead who learned most things the hard way.",
        "time_zone": "Europe/London",
        "is_staff": True,
    },
    {
        "role": "Learner",
        "group": "Learner",
        "email": "learner@example.com",
        "handle": "tom_bennett",
        "display_name": "Tom Bennett",
        "bio": "Project manager in a housing association. Trying to get better at saying no.",
        "time_zone": "Europe/London",
        "is_staff": False,
    },
    {
        "role": "Learner",
        "group": "Learner",
        "email": "learner2@example.com",
        "handle": "priya_s",
        "display_name": "Priya Shah",
        "bio": "New team leader in a small software company. Here to learn how to disagree without falling out.",
        "time_zone": "Europe/London",
        "is_staff": False,
    },
    {
        "role": "Moderator",
        "group": "Moderator",
        "email": "moderator@example.com",
        "handle": "ruth_m",
        "display_name": "Ruth Morgan",
        "bio": "Volunteer moderator. I keep the spaces kind and on topic.",
        "time_zone": "Europe/London",
        "is_staff": False,
    },
]

# --- Extra learners ------------------------------------------------------------------------------
# The other voices of the demo conversations (``demo.spaces``): Learners, joined a few weeks ago.

DEMO_LEARNERS = [
    {
        "email": "kwame@example.com",
        "handle": "kwame_a",
        "display_name": "Kwame Asante",
        "bio": "Charge nurse on a surgical ward. Night shifts, strong tea and a lot of handovers.",
        "time_zone": "Europe/London",
    },
    {
        "email": "lucia@example.com",
        "handle": "lucia_r",
        "display_name": "Lucia Russo",
        "bio": "Site engineer for a rail maintenance contractor. Happiest with a clipboard in the rain.",
        "time_zone": "Europe/London",
    },
    {
        "email": "sam@example.com",
        "handle": "sam_k",
        "display_name": "Sam Kelly",
        "bio": "Maths teacher and head of year 9 at a secondary school. Learning to ask for help sooner.",
        "time_zone": "Europe/London",
    },
    {
        "email": "hannah@example.com",
        "handle": "hannah_w",
        "display_name": "Hannah Whitfield",
        "bio": "Store manager for a garden centre chain. Twenty staff, two hundred plants, one till that hates me.",
        "time_zone": "Europe/London",
    },
    {
        "email": "dev@example.com",
        "handle": "dev_p",
        "display_name": "Dev Patel",
        "bio": "Software engineer on a payments team. Occasionally on call, always slightly nervous about it.",
        "time_zone": "Europe/London",
    },
    {
        "email": "mei@example.com",
        "handle": "mei_l",
        "display_name": "Mei Lin",
        "bio": "Finance officer at a regional charity. Spreadsheets by day, choir by night.",
        "time_zone": "Europe/London",
    },
    # Joined later: they give each cohort learners at different points of the course (some have
    # not reflected in Lesson 6 yet, one has not started), and Lesson 6 two reflections no one
    # has answered.
    {
        "email": "olu@example.com",
        "handle": "olu_a",
        "display_name": "Olu Adeyemi",
        "bio": "Shift lead in a parcel sorting centre. Learning to say what I see before the conveyor does.",
        "time_zone": "Africa/Lagos",
    },
    {
        "email": "nadia@example.com",
        "handle": "nadia_h",
        "display_name": "Nadia Haddad",
        "bio": "Receptionist turned practice manager at a dental surgery. First time managing people.",
        "time_zone": "Asia/Dubai",
        "language": "ar",  # reads Reflect in Arabic, right to left (README, "Languages and time zones")
    },
    {
        "email": "ravi@example.com",
        "handle": "ravi_m",
        "display_name": "Ravi Menon",
        "bio": "Junior architect. Quiet in design reviews, trying not to be.",
        "time_zone": "Europe/London",
    },
    {
        "email": "joanna@example.com",
        "handle": "joanna_k",
        "display_name": "Joanna Kowalska",
        "bio": "Community pharmacist. Often the last check before a prescription goes out of the door.",
        "time_zone": "Europe/London",
    },
    {
        "email": "greta@example.com",
        "handle": "greta_l",
        "display_name": "Greta Lindqvist",
        "bio": "HR adviser at a county council. I hear about most mistakes second-hand, and late.",
        "time_zone": "Europe/London",
    },
]
