package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
	"github.com/mark3labs/mcp-go/mcp"
)

// --- clickup_create_list, clickup_create_folder ---

type CreateListArgs struct {
	Name        string       `json:"name" jsonschema:"required" jsonschema_description:"the new list's name"`
	Parent      string       `json:"parent" jsonschema:"required" jsonschema_description:"space or folder: id, name or Space/Folder path"`
	Template    string       `json:"template,omitempty" jsonschema_description:"list template name or id"`
	Content     string       `json:"content,omitempty" jsonschema_description:"list description, markdown"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type CreateFolderArgs struct {
	Name        string       `json:"name" jsonschema:"required" jsonschema_description:"the new folder's name"`
	Space       string       `json:"space" jsonschema:"required" jsonschema_description:"space id or name"`
	Template    string       `json:"template,omitempty" jsonschema_description:"folder template name or id"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

// CreatedPlace is a list or folder a create made.
type CreatedPlace struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Path         string   `json:"path" jsonschema_description:"Space/Folder/List"`
	Template     string   `json:"template,omitempty"`
	Lists        []string `json:"lists,omitempty" jsonschema_description:"the folder's lists, from its template"`
	Deduplicated bool     `json:"deduplicated,omitempty" jsonschema_description:"made moments ago by an identical call; nothing new was made"`

	list bool // a list (served as clickup://list/{id}); a folder is not a resource
}

// ResourceLinks: a list made links itself; a folder links nothing (no
// resource serves folders).
func (r *CreatedPlace) ResourceLinks() []mcp.ResourceLink {
	if !r.list {
		return nil
	}
	return render.ListLink(r.ID, r.Name)
}

// maxPlaceName bounds a list or folder name; ClickUp documents no limit,
// and a name longer than a line is a mistake.
const maxPlaceName = 255

func placeName(arg, v string) (string, error) {
	n := strings.TrimSpace(v)
	switch {
	case n == "":
		return "", workspace.InvalidArg(arg, "is required")
	case utf8.RuneCountInString(n) > maxPlaceName || strings.ContainsAny(n, "\r\n\x00"):
		return "", workspace.InvalidArg(arg, "must be one line of at most %d characters", maxPlaceName)
	case strings.Contains(n, "/"):
		return "", workspace.InvalidArg(arg, "%q contains a /, which paths use to separate names; choose a name without it", workspace.Truncate(n, 60))
	}
	return n, nil
}

// pickTemplate finds a template by id or name, case-insensitively; an
// unknown one is refused with the workspace's templates.
func pickTemplate(arg, v string, ts []clickup.Template) (clickup.Template, error) {
	want := strings.TrimSpace(v)
	var names []string
	for _, t := range ts {
		if t.ID.String() == want || strings.EqualFold(t.Name, want) {
			return t, nil
		}
		names = append(names, fmt.Sprintf("%s (%s)", t.Name, t.ID))
	}
	if len(names) == 0 {
		return clickup.Template{}, workspace.InvalidArg(arg, "the workspace has no such templates; leave template out")
	}
	if len(names) > 40 {
		names = append(names[:40], fmt.Sprintf("and %d more", len(names)-40))
	}
	return clickup.Template{}, workspace.InvalidArg(arg, "no template named %q; templates: %s", workspace.Truncate(want, 60), strings.Join(names, ", "))
}

// taken refuses a name already used in the parent. A hit on a cached
// hierarchy is checked once against a fresh one: the twin may be gone.
func taken(ctx context.Context, s *workspace.Session, ws string, p workspace.Parent, kids workspace.Children, name string, folder bool) error {
	what := "list"
	pool := func(c workspace.Children) map[string]string {
		if folder {
			return c.Folders
		}
		return c.Lists
	}
	if folder {
		what = "folder"
	}
	id, dup := pool(kids)[strings.ToLower(name)]
	if dup && kids.Age >= time.Second {
		if _, err := s.Hierarchy(ctx, ws, true); err != nil {
			return err
		}
		fresh, err := s.Children(ctx, ws, p)
		if err != nil {
			return err
		}
		id, dup = pool(fresh)[strings.ToLower(name)]
	}
	if dup {
		return workspace.InvalidArg("name", "a %s named %q already exists in %s (id %s): use it, or choose another name. Nothing was created.", what, name, p.Path, id)
	}
	return nil
}

// unprovable is the check of a lost list or folder create: ClickUp's lists
// and folders carry neither a creator nor a creation time, so no check can
// prove one is this call's (the guard then reports the outcome unknown and
// never sends it again while it remembers; the name check refuses a twin
// after that).
func unprovable(what string) func(context.Context, time.Time) (writeguard.Evidence, error) {
	return func(context.Context, time.Time) (writeguard.Evidence, error) {
		return writeguard.Evidence{}, fmt.Errorf("ClickUp's %ss carry no creator or creation time, so none can be proven this call's", what)
	}
}

func placeReplay(tk *writeguard.Ticket, fallback CreatedPlace) *CreatedPlace {
	var old CreatedPlace
	if json.Unmarshal(tk.Replay.Data, &old) != nil {
		old = fallback
		old.ID = tk.Replay.Ref
	}
	old.Deduplicated = true
	return &old
}

func CreateList(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_create_list", Title: "Create list", Toolset: toolkit.ToolsetHierarchy, Hints: toolkit.CreateHints,
		Description: "Create a list in a space or folder, optionally from a list template; refuses a name already used there.",
		Examples: []string{
			`{"name": "Sprint 14", "parent": "Engineering/Platform", "template": "Sprint"}`,
			`{"name": "Vendors", "parent": "Operations", "content": "Who we buy from."}`,
		},
		Target: &toolkit.Target{Handler: true},
	}, func(ctx context.Context, s *workspace.Session, a *CreateListArgs) (*CreatedPlace, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		name, err := placeName("name", a.Name)
		if err != nil {
			return nil, "", err
		}
		p, kids, err := s.ResolveParent(ctx, ws, "parent", a.Parent, false)
		if err != nil {
			return nil, "", err
		}
		if err := s.CheckNodeScope(ctx, ws, p.Kind.String(), p.ID); err != nil {
			return nil, "", err
		}
		var tpl clickup.Template
		if strings.TrimSpace(a.Template) != "" {
			ts, err := s.Client.Lists.Templates(ctx, ws)
			if err != nil {
				return nil, "", err
			}
			if tpl, err = pickTemplate("template", a.Template, ts); err != nil {
				return nil, "", err
			}
		}
		r := &CreatedPlace{Name: name, Path: p.Path + "/" + name, Template: tpl.Name, list: true}
		tk, err := s.BeginWrite(ctx, "create_list", ws, p.ID, name, tpl.ID, a.Content)
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		defer tk.Close()
		if tk.Replay != nil {
			old := placeReplay(tk, *r)
			return old, fmt.Sprintf("Already created moments ago (not created again): list %s (id %s).", old.Path, old.ID), nil
		}
		if err := taken(ctx, s, ws, p, kids, name, false); err != nil {
			return nil, "", err
		}
		check := unprovable("list")
		id, _, err := tk.Send(ctx, writeguard.Write{
			What: "list", Where: fmt.Sprintf("read %s's lists (clickup_get_workspace_hierarchy) for one named %q", p.Path, name),
			Send: func(ctx context.Context) (string, error) {
				var l *clickup.List
				var err error
				switch {
				case tpl.ID != "" && p.Kind == workspace.KindFolder:
					l, err = s.Client.Lists.CreateInFolderFromTemplate(ctx, p.ID, tpl.ID.String(), templateBody(name, a.Content))
				case tpl.ID != "":
					l, err = s.Client.Lists.CreateFolderlessFromTemplate(ctx, p.ID, tpl.ID.String(), templateBody(name, a.Content))
				case p.Kind == workspace.KindFolder:
					l, err = s.Client.Lists.CreateInFolder(ctx, p.ID, &clickup.ListCreate{Name: name, MarkdownContent: a.Content})
				default:
					l, err = s.Client.Lists.CreateFolderless(ctx, p.ID, &clickup.ListCreate{Name: name, MarkdownContent: a.Content})
				}
				if err != nil {
					return "", nameTaken(err, "list", name, p.Path)
				}
				if l.ID == "" {
					return "", errors.New("ClickUp answered the create without the list's id")
				}
				if tpl.ID == "" {
					s.RememberList(l)
				}
				return l.ID.String(), nil
			},
			Check: check,
		})
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		r.ID = id
		s.LearnList(ws, p, id, name)
		data, _ := json.Marshal(r)
		tk.Done(ctx, id, data)
		text := fmt.Sprintf("Created list %s (id %s).", r.Path, r.ID)
		if tpl.ID != "" {
			text += fmt.Sprintf(" From template %q: ClickUp fills it in the background, so its tasks may take a moment to appear.", tpl.Name)
		}
		return r, text + " Add tasks with clickup_create_task, list_id " + r.ID + ".", nil
	})
}

func templateBody(name, content string) *clickup.FromTemplate {
	b := &clickup.FromTemplate{Name: name}
	if content != "" {
		b.Options = &clickup.TemplateOptions{Content: content}
	}
	return b
}

// nameTaken explains ClickUp's refusal of a name already used (a twin made
// since the hierarchy was read).
func nameTaken(err error, what, name, where string) error {
	var ce *clickup.Error
	if errors.As(err, &ce) && ce.StatusCode == 400 && strings.Contains(strings.ToLower(ce.Message), "taken") {
		return workspace.WithHint(err, "A %s named %q already exists in %s: use it, or choose another name. Nothing was created.", what, name, where)
	}
	return err
}

func CreateFolder(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_create_folder", Title: "Create folder", Toolset: toolkit.ToolsetHierarchy, Hints: toolkit.CreateHints,
		Description: "Create a folder in a space, optionally from a folder template; refuses a name already used there.",
		Examples: []string{
			`{"name": "Q1 Launch", "space": "Engineering", "template": "Product launch"}`,
			`{"name": "Vendors", "space": "Operations"}`,
		},
		Target: &toolkit.Target{Handler: true},
	}, func(ctx context.Context, s *workspace.Session, a *CreateFolderArgs) (*CreatedPlace, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		name, err := placeName("name", a.Name)
		if err != nil {
			return nil, "", err
		}
		p, kids, err := s.ResolveParent(ctx, ws, "space", a.Space, true)
		if err != nil {
			return nil, "", err
		}
		if err := s.CheckNodeScope(ctx, ws, "space", p.ID); err != nil {
			return nil, "", err
		}
		var tpl clickup.Template
		if strings.TrimSpace(a.Template) != "" {
			ts, err := s.Client.Folders.Templates(ctx, ws)
			if err != nil {
				return nil, "", err
			}
			if tpl, err = pickTemplate("template", a.Template, ts); err != nil {
				return nil, "", err
			}
		}
		r := &CreatedPlace{Name: name, Path: p.Path + "/" + name, Template: tpl.Name}
		tk, err := s.BeginWrite(ctx, "create_folder", ws, p.ID, name, tpl.ID)
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		defer tk.Close()
		if tk.Replay != nil {
			old := placeReplay(tk, *r)
			return old, fmt.Sprintf("Already created moments ago (not created again): folder %s (id %s).", old.Path, old.ID), nil
		}
		if err := taken(ctx, s, ws, p, kids, name, true); err != nil {
			return nil, "", err
		}
		var lists []workspace.ListNode
		check := unprovable("folder")
		id, _, err := tk.Send(ctx, writeguard.Write{
			What: "folder", Where: fmt.Sprintf("read space %s's folders (clickup_get_workspace_hierarchy) for one named %q", p.Path, name),
			Send: func(ctx context.Context) (string, error) {
				var f *clickup.Folder
				var err error
				if tpl.ID != "" {
					f, err = s.Client.Folders.CreateFromTemplate(ctx, p.ID, tpl.ID.String(), &clickup.FromTemplate{Name: name})
				} else {
					f, err = s.Client.Folders.Create(ctx, p.ID, &clickup.FolderCreate{Name: name})
				}
				if err != nil {
					return "", nameTaken(err, "folder", name, p.Path)
				}
				if f.ID == "" {
					return "", errors.New("ClickUp answered the create without the folder's id")
				}
				lists = workspace.ListNodes(f.Lists)
				return f.ID.String(), nil
			},
			Check: check,
		})
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		r.ID = id
		for _, l := range lists {
			r.Lists = append(r.Lists, l.Name)
		}
		s.LearnFolder(ws, p.ID, id, name, lists)
		data, _ := json.Marshal(r)
		tk.Done(ctx, id, data)
		text := fmt.Sprintf("Created folder %s (id %s).", r.Path, r.ID)
		if len(r.Lists) > 0 {
			text += " Its lists: " + strings.Join(workspace.FlatAll(r.Lists), ", ") + "."
		}
		if tpl.ID != "" {
			text += fmt.Sprintf(" From template %q: ClickUp fills it in the background, so more may appear in a moment.", tpl.Name)
		}
		return r, text + " Add lists with clickup_create_list, parent " + r.Path + ".", nil
	})
}
