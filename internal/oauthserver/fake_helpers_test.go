package oauthserver

import (
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	bolt "go.etcd.io/bbolt"
)

func clickuptestDeny() clickuptest.OAuthConsent { return clickuptest.OAuthConsent{Deny: true} }

func clickuptestUser(name string) clickuptest.User { return clickuptest.User{Username: name} }

type boltTx = bolt.Tx
