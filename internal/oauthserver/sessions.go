package oauthserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Grants lists the live sign-ins, oldest first.
func (s *Server) Grants(ctx context.Context) ([]GrantInfo, error) { return listGrants(ctx, s.store) }

// RevokeGrant ends one sign-in at once: its access and refresh tokens stop
// working and its ClickUp token is deleted.
func (s *Server) RevokeGrant(ctx context.Context, id string) error {
	return revokeGrant(ctx, s.recs, id)
}

func sortGrants(g []GrantInfo) {
	slices.SortStableFunc(g, func(a, b GrantInfo) int { return a.Created.Compare(b.Created) })
}

// SessionsOptions configures Sessions, the `clickup-mcp auth sessions`
// command.
type SessionsOptions struct {
	// StorePath is the server's bbolt file (or use Store, e.g. the
	// replicas' RedisStore).
	StorePath string
	Store     Store
	// Revoke lists sign-in ids to revoke; "all" revokes every one.
	Revoke []string
	Out    io.Writer
	Now    func() time.Time
}

// Sessions lists the OAuth sign-ins in the store (who, which client, which
// Workspaces, since when, until when) or revokes some. It needs no secret
// key and prints no token. The embedded store is locked by a running
// server: stop it first (the error says so); on Redis it works beside the
// running replicas.
func Sessions(ctx context.Context, o SessionsOptions) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	st := o.Store
	if st == nil {
		bs, err := OpenBoltStore(o.StorePath, o.Now)
		if err != nil {
			return err
		}
		defer bs.Close()
		st = bs
	}
	recs := &records{st: st, now: o.Now}
	grants, err := listGrants(ctx, st)
	if err != nil {
		return err
	}
	if len(o.Revoke) > 0 {
		ids := o.Revoke
		if len(ids) == 1 && ids[0] == "all" {
			ids = nil
			for _, g := range grants {
				ids = append(ids, g.ID)
			}
		}
		var errs []error
		for _, id := range ids {
			if err := revokeGrant(ctx, recs, id); err != nil {
				errs = append(errs, err)
				continue
			}
			fmt.Fprintf(o.Out, "revoked %s\n", id)
		}
		if len(ids) == 0 {
			fmt.Fprintln(o.Out, "no sign-ins to revoke")
		}
		return errors.Join(errs...)
	}
	if len(grants) == 0 {
		fmt.Fprintln(o.Out, "no OAuth sign-ins")
		return nil
	}
	tw := tabwriter.NewWriter(o.Out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCLICKUP USER\tCLIENT\tWORKSPACES\tSIGNED IN\tEXPIRES")
	for _, g := range grants {
		user := g.Username
		if g.Email != "" {
			user += " <" + g.Email + ">"
		}
		user += fmt.Sprintf(" (%d)", g.UserID)
		cl := g.ClientName
		if cl == "" {
			cl = g.ClientID
		}
		var ws []string
		for _, w := range g.Workspaces {
			ws = append(ws, w.Name+" ("+w.ID+")")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", g.ID, user, cl, strings.Join(ws, ", "),
			g.Created.UTC().Format(time.RFC3339), g.Expires.UTC().Format(time.RFC3339))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(o.Out, "\nRevoke one with --revoke ID (or --revoke all).")
	return nil
}
