package clickup

import "testing"

// TestQueryEncoding pins the query strings the tag-driven encoder sends for
// both task listings with every field set, and for none: the wire form
// ClickUp's docs show (name[] repeated, %20 for spaces, custom_fields as
// one JSON parameter, page always).
func TestQueryEncoding(t *testing.T) {
	cf := []CustomFieldFilter{{FieldID: "f1", Operator: "=", Value: "x y"}}
	s := &SearchTasksOptions{Page: 2, OrderBy: "due_date", Reverse: true, Subtasks: true, SpaceIDs: []string{"1", "2"}, ProjectIDs: []string{"3"}, ListIDs: []string{"4"}, Statuses: []string{"in progress", "to do"}, IncludeClosed: true, Assignees: []string{"5"}, Tags: []string{"a b"}, DueDateGt: 1, DueDateLt: 2, DateCreatedGt: 3, DateCreatedLt: 4, DateUpdatedGt: 5, DateUpdatedLt: 6, DateDoneGt: 7, DateDoneLt: 8, CustomFields: cf, Parent: "p", IncludeMarkdownDescription: true, CustomItems: []int{0, 1}}
	l := &ListTasksOptions{Page: 1, Archived: true, IncludeMarkdownDescription: true, OrderBy: "id", Reverse: true, Subtasks: true, Statuses: []string{"x"}, IncludeClosed: true, IncludeTiml: true, Assignees: []string{"1"}, Watchers: []string{"2"}, Tags: []string{"t"}, DueDateGt: 1, DueDateLt: 2, DateCreatedGt: 3, DateCreatedLt: 4, DateUpdatedGt: 5, DateUpdatedLt: 6, DateDoneGt: 7, DateDoneLt: 8, CustomFields: cf, CustomItems: []int{1}}
	const cfq = "custom_fields=%5B%7B%22field_id%22%3A%22f1%22%2C%22operator%22%3A%22%3D%22%2C%22value%22%3A%22x%20y%22%7D%5D"
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"search, every field", s, "page=2&order_by=due_date&reverse=true&subtasks=true&space_ids[]=1&space_ids[]=2&project_ids[]=3&list_ids[]=4&statuses[]=in%20progress&statuses[]=to%20do&include_closed=true&assignees[]=5&tags[]=a%20b&due_date_gt=1&due_date_lt=2&date_created_gt=3&date_created_lt=4&date_updated_gt=5&date_updated_lt=6&date_done_gt=7&date_done_lt=8&" + cfq + "&parent=p&include_markdown_description=true&custom_items[]=0&custom_items[]=1"},
		{"search, nothing", &SearchTasksOptions{}, "page=0"},
		{"list, every field", l, "page=1&archived=true&include_markdown_description=true&order_by=id&reverse=true&subtasks=true&statuses[]=x&include_closed=true&include_timl=true&assignees[]=1&watchers[]=2&tags[]=t&due_date_gt=1&due_date_lt=2&date_created_gt=3&date_created_lt=4&date_updated_gt=5&date_updated_lt=6&date_done_gt=7&date_done_lt=8&" + cfq + "&custom_items[]=1"},
		{"list, nothing", &ListTasksOptions{}, "page=0"},
	} {
		var q query
		if err := q.encode(tc.v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := q.String(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	if got, err := searchQuery(nil); err != nil || got != "page=0" {
		t.Errorf("nil search options: %q, %v", got, err)
	}
}
