// Package clickuptest is an in-memory fake of ClickUp's v2 API: an
// http.Handler for tests (wrap it in httptest.NewServer and use base URL
// server.URL+"/api") and for the sandbox mode, which serves NewDemo's seeded
// Workspace to people without a ClickUp account.
//
// It keeps its own model and renders its own JSON, independent of package
// clickup, so a bug in the client cannot hide in a fake built from the same
// types. Wire shapes follow ../shared/clickup/API-NOTES.md, and ClickUp's
// OpenAPI spec where the real API agrees with it.
//
// # Routes
//
// Served under /api/v2/... and /v2/... alike:
//
//	GET    /v2/user, /v2/team
//	GET    /v2/team/{team_id}/space, /v2/space/{space_id}, /v2/space/{space_id}/folder,
//	       /v2/folder/{folder_id}, /v2/folder/{folder_id}/list, /v2/space/{space_id}/list,
//	       /v2/list/{list_id}, /v2/list/{list_id}/member, /v2/list/{list_id}/field,
//	       /v2/task/{task_id}/member
//	GET    /v2/team/{team_id}/task (Get Filtered Team Tasks), /v2/list/{list_id}/task (Get Tasks)
//	POST   /v2/list/{list_id}/task; GET, PUT, DELETE /v2/task/{task_id}
//	GET    /v2/task/{task_id}/comment; POST /v2/task/{task_id}/comment
//	GET    /v2/space/{space_id}/tag; POST, DELETE /v2/task/{task_id}/tag/{tag_name}
//	POST   /v2/task/{task_id}/checklist; PUT, DELETE /v2/checklist/{checklist_id};
//	       POST /v2/checklist/{checklist_id}/checklist_item;
//	       PUT, DELETE /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}
//	GET, POST /v3/workspaces/{workspace_id}/docs; GET .../docs/{doc_id}, .../page_listing,
//	       .../pages; POST .../pages; GET, PUT .../pages/{page_id} (docs.go)
//	POST   /v2/oauth/token (no Authorization)
//	GET    /api?client_id=&redirect_uri=&state= (the authorization page of app.clickup.com)
//
// Anything else is 404 {"err":"Route not found","ECODE":"APP_001"} (also a
// known path with another method).
//
// # Behaviour worth knowing
//
//   - Every response carries X-RateLimit-Limit, -Remaining and -Reset (epoch
//     seconds of the window's end, rounded up) for the request's token, unless
//     limiting is off (WithRateLimit(0, ...)); past
//     the limit: 429 {"err":"Rate limit reached","ECODE":"APP_002"}. The window
//     is per token (with or without "Bearer "), fixed, and starts at the
//     token's first request. Requests without a valid token share the budget
//     of their Authorization value.
//   - Missing Authorization: 401 OAUTH_017; unknown token: 401 OAUTH_025; a
//     Workspace the token may not use, or anything inside one: 401 OAUTH_027.
//     Unknown tasks, Spaces and Folders answer 401 OAUTH_027 like the real API
//     (WithNotFoundAs404 turns them into 404 ITEM_013 / PROJ_005 / CAT_005);
//     an unknown List is 404 ITEM_015 and a non-numeric List id 400 INPUT_003;
//     a task id with characters other than letters, digits and _ is 400
//     INPUT_004 (a custom id needs custom_task_ids=true&team_id=X).
//   - Task lists: 100 per page, page 0-based, last_page set on both list
//     endpoints. Default order is order_by=created ascending; reverse=true
//     flips it; with order_by=due_date, tasks without a due date come last
//     (first when reversed). Closed tasks (a status of type closed) need
//     include_closed=true even when statuses[] names their status; done
//     tasks show. Subtasks need subtasks=true, or parent=<id> for one task's
//     subtasks. Archived tasks show only on Get Tasks with archived=true (and
//     then only they do). Array parameters are read as name[] and name,
//     repeated; a comma is not a separator. watchers, archived, include_timl
//     and custom_field apply to Get Tasks only, as in the spec.
//   - custom_fields filters take = (text: contains; others: equals), ==,
//     !=, !==, <, <=, >, >= (numbers, dates, drop_down by orderindex), RANGE
//     ([lo,hi] or {low_value,high_value}, inclusive), ANY, ALL, NOT ANY, NOT
//     ALL, IS NULL and IS NOT NULL. drop_down and labels values may be given
//     as option id, name or orderindex. A task without a value matches only
//     IS NULL and the negative operators (!=, !==, NOT ANY, NOT ALL).
//   - Task JSON: ids are strings, user ids integers, dates strings of epoch
//     ms or null, priority an object or null, time_estimate integer ms or
//     null, time_spent integer ms; markdown_description only with
//     include_markdown_description=true; subtasks[] (direct children) only
//     with include_subtasks=true on GET /v2/task/{id}; attachments[] only on
//     single-task responses. Custom fields carry "value" only when set
//     (drop_down: the option's orderindex; number and currency: a string;
//     checkbox: "true"/"false"; date: a string of ms; users: user objects).
//     A folderless List's tasks report the Space's hidden Folder
//     ({"name":"hidden","hidden":true}).
//   - Create: name is required (400 INPUT_005 "Task name invalid", also over
//     2048 characters); status is matched case-insensitively (400 ITEM_114);
//     default status is the List's first; markdown_content (or
//     markdown_description) wins over description, and the plain description
//     is derived from it; parent must be a task of the same List (400
//     ITEM_137); tags new to the Space are created there (names lower-cased);
//     assignees who are not Workspace members are ignored; the creator and
//     the assignees become watchers.
//   - Update: assignees/watchers/group_assignees take {add, rem} (a plain
//     array is 400); null clears priority, due_date, start_date,
//     time_estimate and points; description " " clears the description;
//     parent moves a task under another (null is ignored, a cycle is 400
//     ITEM_137); a failed update changes nothing. Closing sets date_closed
//     and date_done, a done status sets date_done, reopening clears both.
//   - Delete: 204 with no body; subtasks, comments and links go too.
//   - Checklists: see checklists.go. Unknown checklists answer like unknown
//     tasks (401 OAUTH_027, 404 CHECKLIST_001 under WithNotFoundAs404); an
//     unknown item 404 CHECKLIST_002; a bad parent 400 CHECKLIST_003 (the
//     three codes are the fake's). An item's assignee is read as a number
//     or a string of digits, null unassigns.
//   - Comments come newest first, 25 per page; start (ms) and start_id give
//     the comments older than that one. Each carries reply_count (a string,
//     as ClickUp sends it). GET /v2/comment/{id}/reply answers the whole
//     thread, oldest first, without the comment itself; POST there answers
//     {} (the spec's example: no id), so a client learns its reply's id only
//     by reading the thread. A reply's id is not a thread: GET and POST on it
//     are 404 ("Comment not found", COMMENT_002, an invented code).
//   - OAuth: codes are single-use and expire after WithOAuthCodeTTL (default
//     10 minutes on the Server's clock). An unknown client or a wrong secret
//     is 400 OAUTH_010 "Client not found"; a bad, used, expired or foreign
//     code is 400 OAUTH_014 "Code not found" (the real code is undocumented;
//     OAUTH_014 is the fake's choice). Tokens look like "<user id>_<40
//     alphanumerics>" and never expire.
//   - Invented error codes, for inputs whose real code is undocumented:
//     INPUT_001 (a malformed parameter or body field), FIELD_001 (an unknown
//     custom field or a bad value or filter), FIELD_002 (required custom
//     fields missing with check_required_custom_fields), COMMENT_001 (no
//     comment text), PROJ_005 and CAT_005 (with WithNotFoundAs404).
//
// Faults (InjectFault) and the request log (Requests, Count, TasksCreated)
// let tests script failures and assert on traffic. Drop faults need a
// connection to hijack (HTTP/1); elsewhere they abort the handler with
// http.ErrAbortHandler.
package clickuptest
