package clickup

// taskJSON is a task as GET /v2/task/{id} returns it, with the quirks the
// real API shows: dates as strings, a numeric list id, a priority object,
// time_estimate as a string, ids mixed between strings and numbers.
const taskJSON = `{
  "id": "86caqr85m",
  "custom_id": "DEV-42",
  "custom_item_id": 0,
  "name": "Fix the login redirect",
  "text_content": "Users land on a blank page after SSO.\n",
  "description": "Users land on a blank page after SSO.\n",
  "status": {"id": "sc901_abc", "status": "in progress", "color": "#4194f6", "orderindex": 1, "type": "custom"},
  "orderindex": "1234.00000000000000000000000000000000",
  "date_created": "1567780450202",
  "date_updated": "1567780450203",
  "date_closed": null,
  "date_done": null,
  "archived": false,
  "creator": {"id": 183, "username": "Jane Doe", "color": "#827718", "email": "jane@example.com", "profilePicture": "https://attachments.clickup.com/profilePictures/183.jpg"},
  "assignees": [
    {"id": 183, "username": "Jane Doe", "color": "#827718", "initials": "JD", "email": "jane@example.com", "profilePicture": null},
    {"id": "184", "username": "Sam Roe", "color": "#aa00aa", "initials": "SR", "email": "sam@example.com", "profilePicture": null}
  ],
  "group_assignees": [],
  "watchers": [{"id": 183, "username": "Jane Doe", "color": "#827718", "initials": "JD", "email": "jane@example.com"}],
  "checklists": [{"id": "b955c4dc-b8e0-4b4f-8c2c-1c8f3f1f7a1e", "task_id": "86caqr85m", "name": "Checklist", "orderindex": 0, "resolved": 1, "unresolved": 1,
    "items": [{"id": "21e08dc8-e491-47a6-b3f8-7e0f2a7bd1d1", "name": "repro", "orderindex": 0, "assignee": null, "resolved": true, "parent": null}]}],
  "tags": [{"name": "bug", "tag_fg": "#800000", "tag_bg": "#800000", "creator": 183}],
  "parent": null,
  "top_level_parent": null,
  "priority": {"id": "2", "priority": "high", "color": "#ffcc00", "orderindex": "2"},
  "due_date": "1508369194377",
  "due_date_time": true,
  "start_date": null,
  "start_date_time": null,
  "points": 3,
  "time_estimate": "8640000",
  "time_spent": 3600000,
  "custom_fields": [
    {"id": "0a52c486-5f05-403b-b4fd-c512ff05131c", "name": "Severity", "type": "drop_down",
     "type_config": {"options": [{"id": "a1", "name": "S1", "orderindex": 0}]}, "date_created": "1622176979540",
     "hide_from_guests": false, "value": 0, "required": false}
  ],
  "dependencies": [],
  "linked_tasks": [],
  "locations": [],
  "team_id": "9011234567",
  "url": "https://app.clickup.com/t/86caqr85m",
  "sharing": {"public": false},
  "permission_level": "create",
  "list": {"id": 901100200300, "name": "Sprint 12", "access": true},
  "project": {"id": "90110011", "name": "Engineering", "hidden": false, "access": true},
  "folder": {"id": "90110011", "name": "Engineering", "hidden": false, "access": true},
  "space": {"id": "90115001"},
  "attachments": []
}`
