package clickuptest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The demo world: a small software company, "Acme Product", seen by
// DemoToken. Names, ids and the shape of the data are fixed; dates are
// relative to the clock's now at seeding, so "overdue" and "due this week"
// stay meaningful whenever the sandbox runs.
const (
	// DemoToken is Alex Rivera's personal token: it sees Acme Product only.
	DemoToken = "pk_81000001_SANDBOXDEMOTOKENFORACMEPRODUCT01"
	// DemoToken2 is Nora Klein's personal token: it sees Globex R&D only.
	DemoToken2 = "pk_81000009_SANDBOXDEMOTOKENFORGLOBEXRANDD02"

	DemoUserID           int64 = 81000001 // Alex Rivera, owner of Acme Product
	DemoWorkspaceID            = "9015123456"
	DemoOtherWorkspaceID       = "9015654321" // Globex R&D: DemoToken gets OAUTH_027 here
	DemoCustomTaskPrefix       = "ACME"

	DemoSpaceEngineering = "901510000011"
	DemoSpaceMarketing   = "901510000012"
	DemoSpaceOperations  = "901510000013"

	DemoFolderPlatform  = "901520000021"
	DemoFolderMobile    = "901520000022"
	DemoFolderContent   = "901520000023"
	DemoFolderCampaigns = "901520000024"

	DemoListBacklog    = "901530000031"
	DemoListSprint12   = "901530000032"
	DemoListSprint13   = "901530000033"
	DemoListSprint11   = "901530000030" // archived
	DemoListIOS        = "901530000034"
	DemoListAndroid    = "901530000035"
	DemoListBugs       = "901530000036" // folderless, with its own statuses
	DemoListBlog       = "901530000037"
	DemoListSocial     = "901530000038"
	DemoListLaunch     = "901530000039"
	DemoListBrand      = "901530000040" // folderless
	DemoListHiring     = "901530000041" // folderless
	DemoListIT         = "901530000042" // folderless
	DemoListFacilities = "901530000043" // folderless

	DemoFieldSeverity    = "5e7c1f6a-2b1d-4c8e-9a31-6f0d2b7c4e11" // drop_down, Engineering
	DemoFieldStoryPoints = "8a2f4c9e-7d3b-4e1a-b6c5-0f9e8d7c6b22" // number, Engineering
	DemoFieldChannel     = "c4d8e2f1-9b7a-4c6e-8d5f-3a2b1c0d9e33" // labels, Marketing
	DemoFieldCustomer    = "1b9e7d5c-3a2f-4e8d-9c1b-7f6e5d4c3b44" // short_text, the Bugs List

	// DemoOAuthClientID / DemoOAuthClientSecret: an OAuth app registered in
	// the demo, whose authorization page approves for Alex on Acme Product.
	DemoOAuthClientID     = "SANDBOXCLIENT01"
	DemoOAuthClientSecret = "sandbox-client-secret"
)

// Demo users of Acme Product.
const (
	demoAlex  int64 = 81000001
	demoPriya int64 = 81000002
	demoMarc  int64 = 81000003
	demoSofia int64 = 81000004
	demoJamal int64 = 81000005
	demoEmma  int64 = 81000006
	demoLiam  int64 = 81000007
	demoHana  int64 = 81000008 // guest
	demoNora  int64 = 81000009 // Globex
	demoOmar  int64 = 81000010 // Globex
)

// NewDemo returns a Server seeded with the demo world (about 300 tasks in
// Acme Product, a few in Globex R&D). The same options give the same world.
func NewDemo(opts ...Option) *Server {
	s := New(opts...)
	seedDemo(s)
	return s
}

const day = 24 * time.Hour

type wopt[T any] struct {
	v T
	w int
}

func weighted[T any](r *rand.Rand, opts []wopt[T]) T {
	total := 0
	for _, o := range opts {
		total += o.w
	}
	n := r.IntN(total)
	for _, o := range opts {
		if n < o.w {
			return o.v
		}
		n -= o.w
	}
	return opts[len(opts)-1].v
}

func pick[T any](r *rand.Rand, v []T) T { return v[r.IntN(len(v))] }

func between(r *rand.Rand, a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(b.Sub(a)))))
}

func seedDemo(s *Server) {
	now := s.now().UTC()
	r := rand.New(rand.NewPCG(20250601, 13))

	people := []User{
		{ID: demoAlex, Username: "Alex Rivera", Email: "alex@example.com", Timezone: "America/New_York", Role: 1},
		{ID: demoPriya, Username: "Priya Patel", Email: "priya.patel@example.com", Timezone: "Europe/London", Role: 2},
		{ID: demoMarc, Username: "Marcus Chen", Email: "marcus.chen@example.com", Timezone: "America/Los_Angeles"},
		{ID: demoSofia, Username: "Sofia Rossi", Email: "sofia.rossi@example.com", Timezone: "Europe/Rome"},
		{ID: demoJamal, Username: "Jamal Okafor", Email: "jamal.okafor@example.com", Timezone: "Africa/Lagos"},
		{ID: demoEmma, Username: "Emma Schmidt", Email: "emma.schmidt@example.com", Timezone: "Europe/Berlin"},
		{ID: demoLiam, Username: "Liam O'Brien", Email: "liam.obrien@example.com", Timezone: "Europe/Dublin"},
		{ID: demoHana, Username: "Hana Sato", Email: "hana.sato@contractor.example.com", Timezone: "Asia/Tokyo", Role: 4},
		{ID: demoNora, Username: "Nora Klein", Email: "nora.klein@globex.example.com", Timezone: "Europe/Vienna", Role: 1},
		{ID: demoOmar, Username: "Omar Haddad", Email: "omar.haddad@globex.example.com", Timezone: "Asia/Dubai"},
	}
	for _, u := range people {
		u.ProfilePicture = fmt.Sprintf("https://attachments-public.clickup.com/profilePictures/%d_%s.jpg", u.ID, strings.ToLower(u.Initials+initials(u.Username)))
		s.AddUser(u)
	}
	s.AddWorkspace(Workspace{
		ID: DemoWorkspaceID, Name: "Acme Product", Color: "#7b68ee",
		Avatar:             "https://attachments-public.clickup.com/teamAvatars/9015123456_acme.png",
		MemberIDs:          []int64{demoAlex, demoPriya, demoMarc, demoSofia, demoJamal, demoEmma, demoLiam, demoHana},
		CustomTaskIDPrefix: DemoCustomTaskPrefix,
	})
	s.AddWorkspace(Workspace{
		ID: DemoOtherWorkspaceID, Name: "Globex R&D", Color: "#e93d82",
		Avatar:             "https://attachments-public.clickup.com/teamAvatars/9015654321_globex.png",
		MemberIDs:          []int64{demoNora, demoOmar},
		CustomTaskIDPrefix: "GLX",
	})
	s.AddToken(DemoToken, demoAlex)
	s.AddToken(DemoToken2, demoNora)
	s.AddOAuthApp(DemoOAuthClientID, DemoOAuthClientSecret)
	s.SetOAuthConsent(OAuthConsent{UserID: demoAlex, WorkspaceIDs: []string{DemoWorkspaceID}})

	engStatuses := []Status{
		{Name: "to do", Color: "#87909e", Type: "open"},
		{Name: "in progress", Color: "#5f55ee", Type: "custom"},
		{Name: "in review", Color: "#f8ae00", Type: "custom"},
		{Name: "blocked", Color: "#e50000", Type: "custom"},
		{Name: "done", Color: "#008844", Type: "done"},
		{Name: "closed", Color: "#6bc950", Type: "closed"},
	}
	tag := func(name, color string) Tag { return Tag{Name: name, Fg: color, Bg: color, Creator: demoAlex} }
	s.AddSpace(DemoWorkspaceID, Space{
		ID: DemoSpaceEngineering, Name: "Engineering", Color: "#0231e8", Statuses: engStatuses,
		Tags: []Tag{tag("bug", "#e50000"), tag("feature", "#2ecd6f"), tag("frontend", "#7b68ee"), tag("backend", "#0231e8"),
			tag("tech-debt", "#aa8d80"), tag("urgent-fix", "#ff7800"), tag("customer", "#e93d82"), tag("security", "#800000"), tag("performance", "#1bbc9c")},
	})
	s.AddSpace(DemoWorkspaceID, Space{
		ID: DemoSpaceMarketing, Name: "Marketing", Color: "#e93d82",
		Statuses: []Status{
			{Name: "idea", Color: "#87909e", Type: "open"},
			{Name: "drafting", Color: "#5f55ee", Type: "custom"},
			{Name: "in review", Color: "#f8ae00", Type: "custom"},
			{Name: "scheduled", Color: "#1090e0", Type: "custom"},
			{Name: "published", Color: "#008844", Type: "closed"},
		},
		Tags: []Tag{tag("blog", "#7b68ee"), tag("social", "#1bbc9c"), tag("launch", "#ff7800"), tag("seo", "#2ecd6f"), tag("customer", "#e93d82"), tag("newsletter", "#0231e8")},
	})
	s.AddSpace(DemoWorkspaceID, Space{
		ID: DemoSpaceOperations, Name: "Operations", Color: "#1bbc9c",
		Statuses: []Status{
			{Name: "to do", Color: "#87909e", Type: "open"},
			{Name: "in progress", Color: "#5f55ee", Type: "custom"},
			{Name: "waiting on vendor", Color: "#f8ae00", Type: "custom"},
			{Name: "done", Color: "#008844", Type: "done"},
			{Name: "closed", Color: "#6bc950", Type: "closed"},
		},
		Tags: []Tag{tag("hiring", "#7b68ee"), tag("finance", "#2ecd6f"), tag("it", "#0231e8"), tag("vendor", "#ff7800"), tag("compliance", "#800000")},
	})
	s.AddFolder(DemoSpaceEngineering, Folder{ID: DemoFolderPlatform, Name: "Platform"})
	s.AddFolder(DemoSpaceEngineering, Folder{ID: DemoFolderMobile, Name: "Mobile"})
	s.AddFolder(DemoSpaceMarketing, Folder{ID: DemoFolderContent, Name: "Content"})
	s.AddFolder(DemoSpaceMarketing, Folder{ID: DemoFolderCampaigns, Name: "Campaigns"})
	eng := []int64{demoAlex, demoPriya, demoMarc, demoSofia, demoJamal}
	s.AddList(DemoFolderPlatform, false, List{ID: DemoListSprint11, Name: "Sprint 11", Archived: true, Content: "Sprint 11 (archived)."})
	s.AddList(DemoFolderPlatform, false, List{ID: DemoListBacklog, Name: "Backlog", Content: "Everything we have not scheduled yet. Groomed every Monday."})
	s.AddList(DemoFolderPlatform, false, List{ID: DemoListSprint12, Name: "Sprint 12", Content: "Previous sprint.", MemberIDs: eng})
	s.AddList(DemoFolderPlatform, false, List{ID: DemoListSprint13, Name: "Sprint 13", Content: "Current sprint. Goal: billing v2 and SSO GA.", MemberIDs: eng})
	s.AddList(DemoFolderMobile, false, List{ID: DemoListIOS, Name: "iOS App", MemberIDs: []int64{demoSofia, demoJamal, demoAlex}})
	s.AddList(DemoFolderMobile, false, List{ID: DemoListAndroid, Name: "Android App", MemberIDs: []int64{demoJamal, demoMarc}})
	s.AddList(DemoSpaceEngineering, true, List{ID: DemoListBugs, Name: "Bugs", Content: "Customer-reported and internal bugs. Triage daily.",
		Statuses: []Status{
			{Name: "open", Color: "#87909e", Type: "open"},
			{Name: "triaged", Color: "#f8ae00", Type: "custom"},
			{Name: "in progress", Color: "#5f55ee", Type: "custom"},
			{Name: "fixed", Color: "#008844", Type: "done"},
			{Name: "won't fix", Color: "#6bc950", Type: "closed"},
		}})
	s.AddList(DemoFolderContent, false, List{ID: DemoListBlog, Name: "Blog Posts"})
	s.AddList(DemoFolderContent, false, List{ID: DemoListSocial, Name: "Social Media"})
	s.AddList(DemoFolderCampaigns, false, List{ID: DemoListLaunch, Name: "Q3 Launch", Content: "Acme 5.0 launch campaign."})
	s.AddList(DemoSpaceMarketing, true, List{ID: DemoListBrand, Name: "Brand Assets"})
	s.AddList(DemoSpaceOperations, true, List{ID: DemoListHiring, Name: "Hiring"})
	s.AddList(DemoSpaceOperations, true, List{ID: DemoListIT, Name: "IT Requests"})
	s.AddList(DemoSpaceOperations, true, List{ID: DemoListFacilities, Name: "Office & Facilities"})

	s.AddCustomField(DemoSpaceEngineering, CustomField{ID: DemoFieldSeverity, Name: "Severity", Type: "drop_down", Options: []FieldOption{
		{ID: "0f1e2d3c-4b5a-4697-8877-665544332201", Name: "S1 - Critical", Color: "#e50000"},
		{ID: "0f1e2d3c-4b5a-4697-8877-665544332202", Name: "S2 - Major", Color: "#ff7800"},
		{ID: "0f1e2d3c-4b5a-4697-8877-665544332203", Name: "S3 - Minor", Color: "#f8ae00"},
		{ID: "0f1e2d3c-4b5a-4697-8877-665544332204", Name: "S4 - Trivial", Color: "#87909e"},
	}})
	s.AddCustomField(DemoSpaceEngineering, CustomField{ID: DemoFieldStoryPoints, Name: "Story Points", Type: "number"})
	s.AddCustomField(DemoSpaceMarketing, CustomField{ID: DemoFieldChannel, Name: "Channel", Type: "labels", Options: []FieldOption{
		{ID: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c01", Name: "Blog", Color: "#7b68ee"},
		{ID: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c02", Name: "LinkedIn", Color: "#0231e8"},
		{ID: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c03", Name: "X", Color: "#000000"},
		{ID: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c04", Name: "Newsletter", Color: "#2ecd6f"},
		{ID: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c05", Name: "YouTube", Color: "#e50000"},
		{ID: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c06", Name: "Instagram", Color: "#e93d82"},
	}})
	s.AddCustomField(DemoListBugs, CustomField{ID: DemoFieldCustomer, Name: "Customer", Type: "short_text"})

	g := &demoGen{s: s, r: r, now: now}
	g.generate()
	g.insert()
	seedGlobex(s, now)
	seedDemoTime(s, now)
	seedDemoTemplates(s)
	seedDemoChat(s, now)
	seedDemoDocs(s, now)
}

// Demo chat of Acme Product: three channels and a DM; the engineering
// channel has a thread.
const (
	DemoChatGeneral     = "8c80150000901"
	DemoChatEngineering = "8c80150000902"
	DemoChatLaunch      = "8c80150000903"
	DemoChatDM          = "8c80150000904" // Alex and Priya
	DemoChatThread      = "80150000911"   // a message in engineering with replies
)

func seedDemoChat(s *Server, now time.Time) {
	ago := func(d time.Duration) time.Time { return now.Add(-d).Truncate(time.Minute) }
	s.AddChatChannel(DemoWorkspaceID, ChatChannel{ID: DemoChatGeneral, Name: "general", Topic: "Company-wide news", CreatorID: demoAlex, Created: ago(400 * day)})
	s.AddChatChannel(DemoWorkspaceID, ChatChannel{ID: DemoChatEngineering, Name: "engineering", Topic: "Builds, deploys and reviews", CreatorID: demoPriya, Created: ago(300 * day)})
	s.AddChatChannel(DemoWorkspaceID, ChatChannel{ID: DemoChatLaunch, Name: "q3-launch", Topic: "Acme 5.0 launch", CreatorID: demoEmma, Created: ago(60 * day), Private: true})
	s.AddChatChannel(DemoWorkspaceID, ChatChannel{ID: DemoChatDM, Type: "DM", MemberIDs: []int64{demoAlex, demoPriya}, CreatorID: demoAlex, Created: ago(90 * day)})
	for _, m := range []ChatMessage{
		{ChannelID: DemoChatGeneral, UserID: demoAlex, Content: "Welcome to the new **Acme Product** workspace! Tasks live in Engineering, Marketing and Operations.", Date: ago(30 * day)},
		{ChannelID: DemoChatGeneral, UserID: demoEmma, Content: "Reminder: the all-hands moved to Thursday 16:00 CET.", Date: ago(3 * day)},
		{ChannelID: DemoChatGeneral, UserID: demoLiam, Content: "Office wifi is back; thanks IT :tada:", Date: ago(5 * time.Hour)},
		{ChannelID: DemoChatEngineering, UserID: demoMarc, Content: "Sprint 13 board is up. Please move your tickets before stand-up.", Date: ago(2 * day)},
		{ID: DemoChatThread, ChannelID: DemoChatEngineering, UserID: demoPriya, Content: "Shall we deploy **billing v2** tonight, or wait for the SSO fix?", Date: ago(20 * time.Hour)},
		{ChannelID: DemoChatEngineering, UserID: demoJamal, Content: "CI is green on main again.", Date: ago(90 * time.Minute)},
		{ChannelID: DemoChatLaunch, UserID: demoEmma, Content: "Draft press release is in Docs; reviews by Friday please.", Date: ago(26 * time.Hour)},
		{ChannelID: DemoChatLaunch, UserID: demoLiam, Content: "Social calendar for launch week is done.", Date: ago(4 * time.Hour)},
		{ChannelID: DemoChatDM, UserID: demoPriya, Content: "Can you review my PR for the rate limiter today?", Date: ago(6 * time.Hour)},
		{ChannelID: DemoChatDM, UserID: demoAlex, Content: "Yes, after lunch.", Date: ago(5 * time.Hour)},
	} {
		s.AddChatMessage(m)
	}
	for _, m := range []ChatMessage{
		{UserID: demoSofia, Content: "Tonight works for mobile; the apps do not touch billing yet.", Date: ago(19 * time.Hour)},
		{UserID: demoMarc, Content: "I'd wait: SSO-214 changes the session cookie billing reads.", Date: ago(18 * time.Hour)},
		{UserID: demoAlex, Content: "Agreed, let's wait for the SSO fix and deploy both tomorrow at 10:00.", Date: ago(17 * time.Hour)},
	} {
		m.ParentID = DemoChatThread
		s.AddChatMessage(m)
	}
}

// Demo templates of Acme Product (clickup_create_list and
// clickup_create_folder with a template).
const (
	DemoListTemplateSprint   = "t-15363001"
	DemoListTemplateLaunch   = "t-15363002"
	DemoFolderTemplateLaunch = "t-15363003"
)

func seedDemoTemplates(s *Server) {
	s.AddListTemplate(DemoWorkspaceID, ListTemplate{ID: DemoListTemplateSprint, Name: "Sprint",
		Statuses: []Status{
			{Name: "to do", Color: "#87909e", Type: "open"},
			{Name: "in progress", Color: "#5f55ee", Type: "custom"},
			{Name: "in review", Color: "#f8ae00", Type: "custom"},
			{Name: "done", Color: "#008844", Type: "closed"},
		},
		Tasks: []string{"Sprint planning", "Sprint review", "Retrospective"}})
	s.AddListTemplate(DemoWorkspaceID, ListTemplate{ID: DemoListTemplateLaunch, Name: "Launch checklist",
		Tasks: []string{"Write release notes", "Update pricing page", "Brief support", "Announce on the blog"}})
	s.AddFolderTemplate(DemoWorkspaceID, FolderTemplate{ID: DemoFolderTemplateLaunch, Name: "Product launch",
		Lists: []string{"Launch checklist", "Press", "Follow-ups"}})
}

type demoSpec struct {
	list       string
	name       string
	status     string
	created    time.Time
	updated    time.Time
	due, start time.Time
	dueTime    bool
	priority   int
	assignees  []int64
	tags       []string
	estimate   time.Duration
	spent      time.Duration
	points     *float64
	md         string
	fields     map[string]any
	checklists []Checklist
	parent     *demoSpec
	creator    int64
	comments   int
	archived   bool
	itemType   int
	otherLists []string
	dependsOn  []*demoSpec
	linkTo     *demoSpec
	id         string
}

type demoGen struct {
	s     *Server
	r     *rand.Rand
	now   time.Time
	specs []*demoSpec
	used  map[string]bool
}

type listPlan struct {
	id        string
	n         int
	names     func() string
	statuses  []wopt[string]
	created   [2]int // days ago: from, to
	due       func() time.Time
	people    []int64
	tags      func(sp *demoSpec) []string
	subNames  []string
	describe  func(sp *demoSpec) string
	decorate  func(sp *demoSpec)
	estimates bool
}

// unique draws names until one is new.
func (g *demoGen) unique(f func() string) string {
	for range 50 {
		n := f()
		if !g.used[n] {
			g.used[n] = true
			return n
		}
	}
	n := f() + fmt.Sprintf(" (%d)", len(g.used))
	g.used[n] = true
	return n
}

func (g *demoGen) dueIn(noneWeight int, fromDays, toDays int) func() time.Time {
	return func() time.Time {
		if g.r.IntN(100) < noneWeight {
			return time.Time{}
		}
		d := g.now.Add(time.Duration(fromDays)*day + time.Duration(g.r.Int64N(int64(time.Duration(toDays-fromDays)*day))))
		return time.Date(d.Year(), d.Month(), d.Day(), 4, 0, 0, 0, time.UTC)
	}
}

func (g *demoGen) generate() {
	r := g.r
	g.used = map[string]bool{}
	engVerbs := []string{"Implement", "Refactor", "Fix", "Add", "Migrate", "Optimize", "Document", "Write tests for", "Investigate", "Upgrade", "Redesign", "Harden"}
	engObjects := []string{"login flow", "password reset emails", "billing webhook handler", "search indexing job", "API rate limiter",
		"CSV export", "user settings page", "audit log", "SSO with Okta", "feature flag service", "Redis cache invalidation",
		"Postgres connection pool", "invoice PDF generation", "onboarding checklist", "dashboard charts", "file upload limits",
		"2FA enrollment", "GraphQL schema", "notification preferences", "team invitations", "session handling", "data retention job",
		"admin impersonation", "OpenTelemetry tracing", "Kubernetes deployment config", "CI pipeline caching", "Sentry error grouping",
		"public API pagination", "webhook retries", "usage metering", "Stripe Billing v2 integration", "permissions model"}
	mobileObjects := []string{"offline mode", "push notification opt-in", "biometric login", "deep links", "App Store screenshots",
		"dark mode", "image caching", "in-app purchases", "onboarding carousel", "accessibility labels", "background sync",
		"home screen widget", "tablet layout", "crash reporting", "settings screen", "release build pipeline"}
	bugThings := []string{"Checkout", "Dashboard", "Search", "CSV export", "Login page", "Invoice email", "Settings page", "Mobile web nav",
		"Team invite link", "Billing page", "Notifications", "Calendar sync", "File preview", "Comment editor"}
	bugSymptoms := []string{"returns 500", "times out", "shows stale data", "crashes", "renders blank", "double-submits",
		"shows wrong currency", "is very slow", "loses formatting", "ignores timezone"}
	bugWhens := []string{"for EU customers", "after session expiry", "on Safari 17", "with 10k+ rows", "when filters are combined",
		"on first load", "for SSO users", "after plan upgrade", "on slow networks", "with emoji in names"}
	topics := []string{"How we cut API latency by 40%", "5 ways to run better sprint retros", "Customer story: Northwind Logistics",
		"What's new in Acme 4.2", "A guide to async standups", "Why we moved to Postgres 16", "Remote onboarding playbook",
		"The hidden cost of context switching", "Lessons from our first year of PLG", "Designing for accessibility from day one",
		"Inside our incident review process", "Scaling support without scaling headcount", "Building a feature flag culture",
		"Our security roadmap", "Measuring developer experience", "Customer story: Initech", "Templates for quarterly planning",
		"Behind the scenes: Acme 5.0", "How our support team uses automations", "Hiring engineers in a remote world"}
	channels := []string{"LinkedIn", "X", "Instagram", "YouTube"}
	launch := []string{"Launch plan: Acme 5.0", "Press release draft", "Landing page copy", "Launch webinar", "Email announcement to customers",
		"Partner enablement deck", "Product Hunt launch", "Pricing page update", "Demo video script", "Collect beta testimonials",
		"Analyst briefing", "Sales one-pager", "Launch day social calendar", "Internal launch FAQ", "Post-launch metrics review"}
	brand := []string{"Refresh logo usage guidelines", "Update slide template", "New illustration set for onboarding",
		"Brand color accessibility audit", "Photography for careers page", "Swag order for offsite", "Email signature template", "Icon set for 5.0"}
	roles := []string{"Senior Backend Engineer", "Product Designer", "Customer Success Manager", "Data Analyst", "Engineering Manager",
		"iOS Engineer", "Technical Writer", "Sales Development Rep", "Recruiting Coordinator", "Security Engineer", "Android Engineer"}
	itReqs := []string{"Renew Zoom licenses", "Set up VPN for contractors", "Rotate AWS root credentials", "Slack workspace cleanup",
		"Order monitors for Berlin office", "Migrate to 1Password Business", "MDM enrollment for new MacBooks", "Replace office Wi-Fi access points",
		"Offboard former contractors", "Audit Google Workspace admins"}
	firstNames := []string{"Ava", "Noah", "Mia", "Lucas", "Zara", "Ethan", "Leila", "Mateo"}
	facilities := []string{"Renew office lease (Berlin)", "Plan Q4 offsite", "Book venue for all-hands", "Quarterly budget review",
		"SOC 2 evidence: access reviews", "SOC 2 evidence: vendor list", "Renew Datadog contract", "Update expense policy",
		"Coffee machine repair", "Fire safety inspection", "Organize team lunch", "Renew cyber insurance"}

	engTags := func(extra ...string) func(*demoSpec) []string {
		return func(sp *demoSpec) []string {
			t := slices.Clone(extra)
			t = append(t, pick(r, []string{"frontend", "backend", "backend"}))
			if r.IntN(5) == 0 {
				t = append(t, pick(r, []string{"tech-debt", "customer", "security", "performance"}))
			}
			if strings.HasPrefix(sp.name, "Fix") {
				t = append(t, "bug")
			}
			return t
		}
	}
	sprintStatus := func(done int) []wopt[string] {
		return []wopt[string]{{"to do", 30 - done/3}, {"in progress", 30 - done/3}, {"in review", 15}, {"blocked", 6}, {"done", 10 + done}, {"closed", 5 + done/2}}
	}
	engSubs := []string{"Write migration", "Add unit tests", "Update API docs", "Address review comments", "QA on staging", "Add feature flag", "Update changelog"}
	engPeople := []int64{demoAlex, demoPriya, demoMarc, demoSofia, demoJamal, demoAlex}
	plans := []listPlan{
		{id: DemoListBacklog, n: 36, names: func() string { return pick(r, engVerbs) + " " + pick(r, engObjects) },
			statuses: []wopt[string]{{"to do", 85}, {"in progress", 4}, {"blocked", 5}, {"closed", 6}}, created: [2]int{120, 5},
			due: g.dueIn(60, 5, 60), people: engPeople, tags: engTags("feature"), subNames: engSubs, describe: g.engDescription, estimates: true,
			decorate: func(sp *demoSpec) { g.storyPoints(sp, 60) }},
		{id: DemoListSprint12, n: 26, names: func() string { return pick(r, engVerbs) + " " + pick(r, engObjects) },
			statuses: sprintStatus(45), created: [2]int{40, 22}, due: g.dueIn(10, -14, -6), people: engPeople, tags: engTags(),
			subNames: engSubs, describe: g.engDescription, estimates: true, decorate: func(sp *demoSpec) { g.storyPoints(sp, 90); g.sprintPoints(sp) }},
		{id: DemoListSprint13, n: 30, names: func() string { return pick(r, engVerbs) + " " + pick(r, engObjects) },
			statuses: sprintStatus(0), created: [2]int{20, 2}, due: g.dueIn(10, -3, 10), people: engPeople, tags: engTags(),
			subNames: engSubs, describe: g.engDescription, estimates: true, decorate: func(sp *demoSpec) { g.storyPoints(sp, 90); g.sprintPoints(sp) }},
		{id: DemoListIOS, n: 16, names: func() string { return "[iOS] " + pick(r, engVerbs) + " " + pick(r, mobileObjects) },
			statuses: sprintStatus(10), created: [2]int{90, 2}, due: g.dueIn(40, -10, 30), people: []int64{demoSofia, demoJamal, demoAlex},
			tags: engTags("frontend"), subNames: engSubs, describe: g.engDescription, estimates: true},
		{id: DemoListAndroid, n: 16, names: func() string { return "[Android] " + pick(r, engVerbs) + " " + pick(r, mobileObjects) },
			statuses: sprintStatus(10), created: [2]int{90, 2}, due: g.dueIn(40, -10, 30), people: []int64{demoJamal, demoMarc},
			tags: engTags("frontend"), subNames: engSubs, describe: g.engDescription, estimates: true},
		{id: DemoListBugs, n: 40, names: func() string {
			return pick(r, bugThings) + " " + pick(r, bugSymptoms) + " " + pick(r, bugWhens)
		},
			statuses: []wopt[string]{{"open", 30}, {"triaged", 25}, {"in progress", 20}, {"fixed", 15}, {"won't fix", 10}}, created: [2]int{60, 0},
			due: g.dueIn(50, -10, 14), people: engPeople,
			tags: func(sp *demoSpec) []string {
				t := []string{"bug", pick(r, []string{"frontend", "backend"})}
				if r.IntN(3) == 0 {
					t = append(t, "customer")
				}
				if r.IntN(6) == 0 {
					t = append(t, "urgent-fix")
				}
				return t
			},
			subNames: []string{"Write a failing test", "Hotfix release", "Postmortem notes"}, describe: g.bugDescription, estimates: true,
			decorate: func(sp *demoSpec) {
				if r.IntN(10) < 9 {
					sp.fields[DemoFieldSeverity] = weighted(r, []wopt[int]{{0, 10}, {1, 30}, {2, 40}, {3, 20}})
				}
				if r.IntN(10) < 4 {
					sp.fields[DemoFieldCustomer] = pick(r, []string{"Northwind Logistics", "Globex Retail", "Initech", "Umbrella Health", "Stark Industries", "Wayne Enterprises", "Hooli", "Soylent Foods"})
				}
			}},
		{id: DemoListBlog, n: 18, names: func() string { return "Blog: " + pick(r, topics) },
			statuses: g.mktStatuses(), created: [2]int{100, 1}, due: g.dueIn(20, -15, 30), people: []int64{demoEmma, demoLiam, demoAlex, demoHana},
			tags:     func(*demoSpec) []string { return g.someOf([]string{"blog"}, []string{"seo", "customer", "newsletter"}) },
			subNames: []string{"First draft", "Design assets", "Legal review", "SEO check"}, describe: g.mktDescription,
			decorate: func(sp *demoSpec) { sp.fields[DemoFieldChannel] = g.channelLabels("Blog") }},
		{id: DemoListSocial, n: 18, names: func() string { return pick(r, channels) + " post: " + pick(r, topics) },
			statuses: g.mktStatuses(), created: [2]int{60, 1}, due: g.dueIn(20, -10, 21), people: []int64{demoEmma, demoLiam, demoHana},
			tags:     func(*demoSpec) []string { return g.someOf([]string{"social"}, []string{"launch", "customer"}) },
			describe: g.mktDescription,
			decorate: func(sp *demoSpec) {
				ch, _, _ := strings.Cut(sp.name, " post:")
				sp.fields[DemoFieldChannel] = g.channelLabels(ch)
			}},
		{id: DemoListLaunch, n: len(launch), names: seqNames(launch), statuses: g.mktStatuses(), created: [2]int{45, 10},
			due: g.dueIn(5, -5, 40), people: []int64{demoEmma, demoLiam, demoAlex, demoPriya},
			tags: func(*demoSpec) []string {
				return g.someOf([]string{"launch"}, []string{"social", "newsletter", "customer"})
			},
			subNames: []string{"First draft", "Design assets", "Legal review", "Schedule"}, describe: g.mktDescription,
			decorate: func(sp *demoSpec) {
				if strings.HasPrefix(sp.name, "Launch plan") || strings.HasPrefix(sp.name, "Post-launch") {
					sp.itemType = 1 // milestone
				}
			}},
		{id: DemoListBrand, n: len(brand), names: seqNames(brand), statuses: g.mktStatuses(), created: [2]int{100, 20},
			due: g.dueIn(50, -20, 30), people: []int64{demoEmma, demoHana}, tags: func(*demoSpec) []string { return nil }, describe: g.mktDescription},
		{id: DemoListHiring, n: 10, names: func() string { return "Hire: " + pick(r, roles) },
			statuses: []wopt[string]{{"to do", 25}, {"in progress", 45}, {"waiting on vendor", 5}, {"done", 15}, {"closed", 10}}, created: [2]int{90, 3},
			due: g.dueIn(30, -20, 45), people: []int64{demoPriya, demoLiam, demoAlex},
			tags:     func(*demoSpec) []string { return []string{"hiring"} },
			subNames: []string{"Post job description", "Screen candidates", "Schedule onsite", "Send offer"}, describe: g.opsDescription},
		{id: DemoListIT, n: 14, names: func() string {
			if r.IntN(3) == 0 {
				return pick(r, []string{"Laptop for new hire: ", "Reset 2FA for ", "Add to GitHub org: "}) + pick(r, firstNames)
			}
			return pick(r, itReqs)
		},
			statuses: []wopt[string]{{"to do", 35}, {"in progress", 25}, {"waiting on vendor", 15}, {"done", 15}, {"closed", 10}}, created: [2]int{50, 0},
			due: g.dueIn(35, -7, 21), people: []int64{demoLiam, demoPriya}, tags: func(*demoSpec) []string { return g.someOf([]string{"it"}, []string{"vendor", "compliance"}) },
			describe: g.opsDescription},
		{id: DemoListFacilities, n: len(facilities), names: seqNames(facilities),
			statuses: []wopt[string]{{"to do", 35}, {"in progress", 25}, {"waiting on vendor", 15}, {"done", 15}, {"closed", 10}}, created: [2]int{80, 2},
			due: g.dueIn(25, -20, 45), people: []int64{demoLiam, demoEmma, demoAlex},
			tags: func(sp *demoSpec) []string {
				switch {
				case strings.HasPrefix(sp.name, "SOC 2"):
					return []string{"compliance"}
				case strings.Contains(sp.name, "budget") || strings.Contains(sp.name, "contract") || strings.Contains(sp.name, "insurance"):
					return []string{"finance", "vendor"}
				}
				return nil
			},
			describe: g.opsDescription},
	}
	for _, p := range plans {
		for range p.n {
			g.specs = append(g.specs, g.topLevel(p))
		}
	}
	g.sprint11()
	g.extras()
}

func seqNames(names []string) func() string {
	i := 0
	return func() string {
		n := names[i%len(names)]
		i++
		return n
	}
}

func (g *demoGen) mktStatuses() []wopt[string] {
	return []wopt[string]{{"idea", 25}, {"drafting", 25}, {"in review", 15}, {"scheduled", 15}, {"published", 20}}
}

func (g *demoGen) someOf(always, maybe []string) []string {
	out := slices.Clone(always)
	for _, m := range maybe {
		if g.r.IntN(4) == 0 {
			out = append(out, m)
		}
	}
	return out
}

func (g *demoGen) channelLabels(primary string) []string {
	ids := map[string]string{
		"Blog": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c01", "LinkedIn": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c02",
		"X": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c03", "Newsletter": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c04",
		"YouTube": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c05", "Instagram": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c06",
	}
	out := []string{ids[primary]}
	if g.r.IntN(3) == 0 && primary != "Newsletter" {
		out = append(out, ids["Newsletter"])
	}
	return out
}

func (g *demoGen) storyPoints(sp *demoSpec, pct int) {
	if g.r.IntN(100) < pct {
		sp.fields[DemoFieldStoryPoints] = float64(pick(g.r, []int{1, 2, 3, 3, 5, 5, 8, 13}))
	}
}

func (g *demoGen) sprintPoints(sp *demoSpec) {
	p := float64(pick(g.r, []int{1, 2, 3, 5, 8}))
	sp.points = &p
}

func (g *demoGen) topLevel(p listPlan) *demoSpec {
	r := g.r
	sp := &demoSpec{list: p.id, fields: map[string]any{}}
	sp.name = g.unique(p.names)
	sp.status = weighted(r, p.statuses)
	sp.created = g.now.Add(-time.Duration(p.created[1])*day - time.Duration(r.Int64N(int64(time.Duration(p.created[0]-p.created[1])*day)+1)))
	sp.created = minTime(sp.created, g.now.Add(-6*time.Hour))
	sp.updated = between(r, sp.created, g.now.Add(-time.Minute))
	sp.due = p.due()
	if !sp.due.IsZero() && r.IntN(10) < 3 {
		sp.due = sp.due.Add(time.Duration(9+r.IntN(9)) * time.Hour)
		sp.dueTime = true
	}
	if !sp.due.IsZero() && r.IntN(10) < 4 {
		sp.start = sp.due.Add(-time.Duration(1+r.IntN(10)) * day)
		if sp.start.Before(sp.created) {
			sp.start = time.Time{}
		}
	}
	sp.priority = weighted(r, []wopt[int]{{0, 30}, {1, 7}, {2, 20}, {3, 30}, {4, 13}})
	if p.id == DemoListBugs && sp.priority == 0 {
		sp.priority = weighted(r, []wopt[int]{{1, 25}, {2, 40}, {3, 35}})
	}
	switch n := weighted(r, []wopt[int]{{0, 15}, {1, 65}, {2, 20}}); n {
	case 1:
		sp.assignees = []int64{pick(r, p.people)}
	case 2:
		a := pick(r, p.people)
		b := pick(r, p.people)
		sp.assignees = []int64{a}
		if b != a {
			sp.assignees = append(sp.assignees, b)
		}
	}
	sp.creator = pick(r, p.people)
	if sp.creator == demoHana {
		sp.creator = demoEmma
	}
	sp.tags = dedupe(p.tags(sp))
	if p.estimates && r.IntN(10) < 6 || r.IntN(10) < 2 {
		sp.estimate = time.Duration(pick(r, []int{1, 2, 3, 4, 6, 8, 16})) * time.Hour
		if sp.status != "to do" && sp.status != "open" && sp.status != "idea" {
			sp.spent = time.Duration(float64(sp.estimate) * (0.2 + r.Float64())).Round(time.Minute)
		}
	}
	if p.describe != nil && r.IntN(10) < 7 {
		sp.md = p.describe(sp)
	}
	if p.decorate != nil {
		p.decorate(sp)
	}
	if r.IntN(100) < 35 {
		sp.comments = 1 + r.IntN(6)
	}
	if len(p.subNames) > 0 && r.IntN(100) < 14 {
		n := 1 + r.IntN(3)
		for _, name := range pickN(r, p.subNames, n) {
			g.specs = append(g.specs, g.subtask(sp, name, p))
		}
	}
	return sp
}

func (g *demoGen) subtask(parent *demoSpec, name string, p listPlan) *demoSpec {
	r := g.r
	sub := &demoSpec{list: parent.list, parent: parent, name: name, fields: map[string]any{}, creator: parent.creator}
	sub.created = between(r, parent.created.Add(time.Hour), minTime(parent.created.Add(5*day), g.now.Add(-2*time.Hour)))
	sub.updated = between(r, sub.created, g.now.Add(-time.Minute))
	sub.status = weighted(r, p.statuses)
	if st := parent.status; g.closedish(st) {
		sub.status = st
	}
	if len(parent.assignees) > 0 {
		sub.assignees = []int64{pick(r, parent.assignees)}
	}
	if !parent.due.IsZero() && r.IntN(2) == 0 {
		sub.due = parent.due.Add(-time.Duration(r.IntN(3)) * day)
	}
	sub.priority = parent.priority
	if r.IntN(3) == 0 {
		sub.estimate = time.Duration(1+r.IntN(4)) * time.Hour
	}
	return sub
}

func (g *demoGen) closedish(st string) bool {
	switch st {
	case "done", "closed", "published", "fixed", "won't fix":
		return true
	}
	return false
}

// sprint11 fills the archived List with closed work.
func (g *demoGen) sprint11() {
	names := []string{"Ship SAML metadata endpoint", "Remove legacy v1 webhooks", "Upgrade to Go 1.22", "Fix flaky billing tests", "Add request ids to logs", "Archive unused S3 buckets"}
	for i, n := range names {
		created := g.now.Add(-time.Duration(60+i) * day)
		g.specs = append(g.specs, &demoSpec{list: DemoListSprint11, name: n, status: "closed", created: created,
			updated: created.Add(12 * day), creator: demoPriya, assignees: []int64{pick(g.r, []int64{demoMarc, demoSofia, demoPriya})},
			tags: []string{"backend"}, fields: map[string]any{}, priority: 3})
	}
}

// extras: the hand-placed parts of the demo that a walkthrough points at.
func (g *demoGen) extras() {
	byList := func(id string) []*demoSpec {
		var out []*demoSpec
		for _, sp := range g.specs {
			if sp.list == id && sp.parent == nil {
				out = append(out, sp)
			}
		}
		return out
	}
	s13 := byList(DemoListSprint13)
	// The sprint's headline task: long thread, checklist, assigned to you, due soon.
	lead := s13[0]
	lead.name = "Migrate billing to Stripe Billing v2"
	lead.status, lead.priority = "in progress", 1
	lead.assignees = []int64{demoAlex, demoPriya}
	lead.due = time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 4, 0, 0, 0, time.UTC).Add(2 * day)
	lead.tags = []string{"backend", "feature", "customer"}
	lead.comments = 60
	lead.md = "## Goal\nMove every subscription from the legacy Charges API to **Stripe Billing v2** without double-charging anyone.\n\n" +
		"## Plan\n1. Dual-write invoices behind the `billing_v2` flag\n2. Backfill 14k active subscriptions\n3. Flip reads, then remove the legacy path\n\n" +
		"## Rollback\n```bash\nacmectl flags set billing_v2=false --env production\n```\n\n> Coordinate with Support before step 3."
	lead.checklists = []Checklist{{Name: "Cutover checklist", Items: []ChecklistItem{
		{Name: "Dry run on staging", Resolved: true, Assignee: demoPriya},
		{Name: "Backfill script reviewed", Resolved: true},
		{Name: "Support briefed", Assignee: demoAlex},
		{Name: "Flip reads in production"},
		{Name: "Remove legacy code path"},
	}}}
	// Overdue and due-this-week work for you, whatever the random draw gave.
	for i, sp := range byList(DemoListBugs)[:4] {
		sp.assignees = []int64{demoAlex}
		sp.status = "triaged"
		sp.due = g.now.Add(-time.Duration(i+1) * day).Truncate(time.Hour)
	}
	for i, sp := range s13[1:4] {
		sp.assignees = []int64{demoAlex}
		sp.status = "to do"
		sp.due = g.now.Add(time.Duration(i+1) * day).Truncate(time.Hour)
	}
	// Checklists on release-ish and hiring tasks.
	for _, sp := range append(byList(DemoListSprint12)[:3], byList(DemoListHiring)[:3]...) {
		if sp.list == DemoListHiring {
			sp.checklists = []Checklist{{Name: "Interview loop", Items: []ChecklistItem{
				{Name: "Recruiter screen", Resolved: true}, {Name: "Technical interview", Resolved: g.r.IntN(2) == 0},
				{Name: "Team interview"}, {Name: "References"}}}}
			continue
		}
		sp.checklists = []Checklist{{Name: "QA checklist", Items: []ChecklistItem{
			{Name: "Smoke test on staging", Resolved: true}, {Name: "Check error rates in Sentry", Resolved: g.closedish(sp.status)},
			{Name: "Update release notes", Resolved: g.closedish(sp.status)}, {Name: "Notify support"}}}}
	}
	for _, sp := range byList(DemoListLaunch)[:2] {
		sp.checklists = []Checklist{{Name: "Launch checklist", Items: []ChecklistItem{
			{Name: "Copy approved", Resolved: true}, {Name: "Assets exported", Resolved: true}, {Name: "Tracking links"}, {Name: "Scheduled"}}}}
	}
	// Dependencies, links, Tasks in Multiple Lists, archived tasks.
	s13[4].dependsOn = []*demoSpec{lead}
	s13[5].dependsOn = []*demoSpec{lead, s13[4]}
	bugs := byList(DemoListBugs)
	bugs[5].linkTo = lead
	bugs[6].otherLists = []string{DemoListSprint13}
	bugs[7].otherLists = []string{DemoListSprint13}
	for _, sp := range byList(DemoListBacklog)[:3] {
		sp.archived = true
	}
}

func dedupe(in []string) []string {
	var out []string
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func pickN[T any](r *rand.Rand, v []T, n int) []T {
	idx := r.Perm(len(v))
	out := make([]T, 0, n)
	for _, i := range idx[:min(n, len(v))] {
		out = append(out, v[i])
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (g *demoGen) engDescription(sp *demoSpec) string {
	r := g.r
	contexts := []string{
		"Customers on the Business plan keep hitting this, and support has %d open tickets about it.",
		"This blocks the SSO GA milestone. We agreed in planning to take the simplest approach first (%d options reviewed).",
		"Follow-up from the incident review: we need guard rails so this cannot regress (%d alerts last month).",
		"Part of the platform hardening epic. Expect about %d files to change.",
	}
	criteria := []string{"Behind the `%s` feature flag", "p95 latency under 200 ms", "Covered by integration tests", "Metrics exported to Grafana",
		"No change to the public API", "Docs updated in the developer portal", "Works for workspaces with 10k+ members", "Migration is reversible"}
	code := []string{
		"```go\nctx, cancel := context.WithTimeout(ctx, 5*time.Second)\ndefer cancel()\n```",
		"```sql\nCREATE INDEX CONCURRENTLY idx_tasks_team_updated ON tasks (team_id, date_updated);\n```",
		"```yaml\nresources:\n  limits:\n    memory: 512Mi\n```",
		"```bash\nmake test && make lint\n```",
	}
	flag := strings.ReplaceAll(strings.ToLower(strings.Fields(sp.name)[len(strings.Fields(sp.name))-1]), "-", "_")
	var b strings.Builder
	fmt.Fprintf(&b, "## Context\n"+pick(r, contexts)+"\n\n## Acceptance criteria\n", 2+r.IntN(20))
	for _, c := range pickN(r, criteria, 3) {
		if strings.Contains(c, "%s") {
			c = fmt.Sprintf(c, flag)
		}
		fmt.Fprintf(&b, "- [ ] %s\n", c)
	}
	if r.IntN(2) == 0 {
		b.WriteString("\n## Notes\n" + pick(r, code) + "\n")
	}
	return strings.TrimSpace(b.String())
}

func (g *demoGen) bugDescription(sp *demoSpec) string {
	r := g.r
	logs := []string{
		"ERROR billing/webhook.go:142 stripe: invalid signature (request_id=req_8f2k1)",
		"TypeError: Cannot read properties of undefined (reading 'currency')",
		"pq: canceling statement due to statement timeout",
		"panic: runtime error: index out of range [3] with length 3",
	}
	return fmt.Sprintf("**Steps to reproduce**\n1. Sign in as a %s user\n2. Open the affected page\n3. %s\n\n"+
		"**Expected:** the page works as usual.\n**Actual:** %s.\n\n```\n%s\n```",
		pick(r, []string{"Business", "Enterprise", "Free", "trial"}),
		pick(r, []string{"Apply two filters and sort by date", "Wait 30 minutes, then click Save", "Upload a 20 MB file", "Switch the workspace language to German"}),
		strings.ToLower(sp.name[:1])+sp.name[1:], pick(r, logs))
}

func (g *demoGen) mktDescription(sp *demoSpec) string {
	r := g.r
	return fmt.Sprintf("## Brief\n%s\n\n### Key messages\n- %s\n- %s\n\n**Audience:** %s\n**CTA:** %s",
		pick(r, []string{"Tell the story behind the feature, not the feature list.", "Short and punchy; link to the full post.", "Lead with the customer quote."}),
		pick(r, []string{"Save 5 hours a week", "Built for teams that ship", "Security you do not have to think about"}),
		pick(r, []string{"Available on every plan", "Rolling out this month", "Free for 30 days"}),
		pick(r, []string{"Engineering managers", "Ops leads", "Existing customers", "Trial users"}),
		pick(r, []string{"Start a free trial", "Book a demo", "Read the docs", "Join the webinar"}))
}

func (g *demoGen) opsDescription(sp *demoSpec) string {
	r := g.r
	if r.IntN(2) == 0 {
		return pick(r, []string{"Budget approved by finance.", "Owner: Operations. Loop in Legal before signing.", "Needs a decision by the end of the month.", "See the vendor comparison sheet."})
	}
	return fmt.Sprintf("### Details\n- Budget: $%d\n- Owner: %s\n- Deadline: end of quarter", 500*(1+r.IntN(40)), pick(r, []string{"Liam", "Priya", "Emma"}))
}

var demoComments = []string{
	"Pushed a fix to staging, can someone verify?", "Blocked on the API change from Platform.", "Moving this to next sprint.",
	"Customer confirmed the fix works 🎉", "I think we should split this into two tasks.", "Added screenshots in the description.",
	"Design is ready in Figma.", "Estimate bumped to 8h after investigating.", "Left a few review comments on the PR.", "QA passed on staging.",
	"Can we get this in before the release freeze?", "Draft is up for review.", "Legal approved the copy.", "Scheduled for Tuesday 9am PT.",
	"Vendor replied, waiting on the quote.", "Pairing on this tomorrow morning.", "Rolled out to 10% of workspaces, metrics look good.",
	"Reverted: it broke the CSV export for large teams.", "Support has two more tickets about this.", "Done from my side, handing over for review.",
}

// insert adds the specs in creation order, so custom ids (ACME-1, ACME-2,
// ...) increase with date_created, as they do in ClickUp.
func (g *demoGen) insert() {
	s, r := g.s, g.r
	order := slices.Clone(g.specs)
	slices.SortStableFunc(order, func(a, b *demoSpec) int { return a.created.Compare(b.created) })
	members := []int64{demoAlex, demoPriya, demoMarc, demoSofia, demoJamal, demoEmma, demoLiam}
	for _, sp := range order {
		t := Task{
			Name: sp.name, Status: sp.status, Priority: sp.priority, Assignees: sp.assignees, Tags: sp.tags,
			CreatorID: sp.creator, DueDate: sp.due, DueDateTime: sp.dueTime, StartDate: sp.start,
			TimeEstimate: sp.estimate, TimeSpent: sp.spent, Points: sp.points, MarkdownDescription: sp.md,
			DateCreated: sp.created, DateUpdated: sp.updated, Archived: sp.archived, CustomItemID: sp.itemType,
			Checklists: sp.checklists, OtherListIDs: sp.otherLists,
		}
		if len(sp.fields) > 0 {
			t.CustomFields = sp.fields
		}
		if t.CreatorID == 0 {
			t.CreatorID = demoPriya
		}
		t.Watchers = []int64{t.CreatorID}
		for _, a := range t.Assignees {
			if !slices.Contains(t.Watchers, a) {
				t.Watchers = append(t.Watchers, a)
			}
		}
		if sp.parent != nil {
			t.Parent = sp.parent.id
		}
		if g.closedish(sp.status) {
			t.DateDone = sp.updated
		}
		sp.id = s.AddTask(sp.list, t).ID
	}
	// Relations need every id.
	s.mu.Lock()
	s.gen++
	for _, sp := range order {
		t := s.tasks[sp.id]
		for _, d := range sp.dependsOn {
			t.DependsOn = append(t.DependsOn, d.id)
		}
		if sp.linkTo != nil {
			t.LinkedTasks = append(t.LinkedTasks, sp.linkTo.id)
			o := s.tasks[sp.linkTo.id]
			o.LinkedTasks = append(o.LinkedTasks, sp.id)
		}
	}
	s.mu.Unlock()
	for _, sp := range order {
		if sp.comments == 0 {
			continue
		}
		times := make([]time.Time, sp.comments)
		for i := range times {
			times[i] = between(r, sp.created.Add(time.Minute), g.now.Add(-time.Minute))
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for i, at := range times {
			c := Comment{UserID: pick(r, members), Text: demoComments[(i+len(sp.name))%len(demoComments)], Date: at}
			if sp.comments > 30 {
				c.Text = fmt.Sprintf("Update %d: %s", i+1, c.Text)
			}
			if r.IntN(12) == 0 {
				c.Assignee = pick(r, members)
			}
			s.AddComment(sp.id, c)
		}
	}
	g.threadsAndFiles()
}

var demoReplies = []string{
	"On it, will report back by end of day.", "Verified on staging: works for me.", "Agreed, let's split it.",
	"Can you share the numbers behind this?", "Done, see the updated description.", "Thanks! Closing the loop with the customer.",
}

// threadsAndFiles adds comment threads and attachments after everything
// else, with fixed choices and ids (no draw from the seed's random
// sequence), so the rest of the demo stays as it was.
func (g *demoGen) threadsAndFiles() {
	s := g.s
	members := []int64{demoAlex, demoPriya, demoMarc, demoSofia, demoJamal, demoEmma, demoLiam}
	// The first task made (ACME-1, the examples' task) has threads too.
	first := g.specs[0]
	for _, sp := range g.specs {
		if sp.created.Before(first.created) {
			first = sp
		}
	}
	threaded := 0
	for i, sp := range g.specs {
		cs := s.Comments(sp.id)
		if len(cs) < 2 || (i%7 != 0 && len(cs) < 30 && sp != first) {
			continue
		}
		// The newest comments get the threads a model is likely to read.
		slices.SortFunc(cs, func(a, b Comment) int { return b.Date.Compare(a.Date) })
		for k, c := range cs[:min(len(cs), 3)] {
			n := (i + k) % 3
			if k == 0 {
				n++
			}
			for j := range n {
				at := c.Date.Add(time.Duration(j+1) * 17 * time.Minute)
				if at.After(g.now) {
					at = g.now.Add(-time.Duration(n-j) * time.Minute)
				}
				s.AddReply(c.ID, Comment{UserID: members[(i+k+j)%len(members)], Text: demoReplies[(i+k+j)%len(demoReplies)], Date: at})
			}
		}
		if threaded++; threaded == 12 {
			break
		}
	}
	lead := byListOf(g.specs, DemoListSprint13)[0]
	files := []demoFile{
		{lead, "6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f601.pdf", "stripe-billing-v2-plan.pdf", "application/pdf", 248331},
		{lead, "6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f602.png", "billing-v2-erd.png", "image/png", 91204},
	}
	for i, sp := range byListOf(g.specs, DemoListBugs)[:3] {
		files = append(files, struct {
			sp    *demoSpec
			id    string
			title string
			mime  string
			size  int64
		}{sp, fmt.Sprintf("6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f6%02d.png", 10+i), fmt.Sprintf("screenshot-%d.png", i+1), "image/png", int64(180000 + 37000*i)})
	}
	files = append(files, demoFile{first, "6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f630.xlsx", "permissions-matrix.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 20733})
	launch := byListOf(g.specs, DemoListLaunch)[0]
	files = append(files, demoFile{launch, "6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f620.docx", "launch-brief.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 38912})
	for _, f := range files {
		s.AddAttachment(f.sp.id, Attachment{ID: f.id, Title: f.title, Mimetype: f.mime, Content: make([]byte, f.size), Date: f.sp.created.Add(time.Hour)})
	}
}

type demoFile struct {
	sp    *demoSpec
	id    string
	title string
	mime  string
	size  int64
}

func byListOf(specs []*demoSpec, list string) []*demoSpec {
	var out []*demoSpec
	for _, sp := range specs {
		if sp.list == list {
			out = append(out, sp)
		}
	}
	return out
}

// seedGlobex adds the Workspace DemoToken cannot see.
func seedGlobex(s *Server, now time.Time) {
	s.AddSpace(DemoOtherWorkspaceID, Space{ID: "901510000091", Name: "R&D", Color: "#e93d82"})
	s.AddList("901510000091", true, List{ID: "901530000091", Name: "Roadmap"})
	for i, n := range []string{"Prototype the quantum scheduler", "Benchmark vendor APIs", "Write the 2026 research agenda",
		"Patent review: adaptive caching", "Hire a research intern", "Lab equipment inventory", "Publish the Q2 tech radar", "Evaluate vector databases"} {
		created := now.Add(-time.Duration(30-i*3) * day)
		s.AddTask("901530000091", Task{Name: n, CreatorID: demoNora, Assignees: []int64{pick2(i, demoNora, demoOmar)},
			DateCreated: created, DateUpdated: created.Add(time.Hour), Priority: 1 + i%4,
			Status: []string{"to do", "in progress", "complete"}[i%3]})
	}
}

func pick2(i int, a, b int64) int64 {
	if i%2 == 0 {
		return a
	}
	return b
}
