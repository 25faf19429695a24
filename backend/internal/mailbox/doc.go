// Package mailbox holds an account's folders and items with the change sequence EAS syncs from, and mail delivery
// (whose OnDeliver hook lets calendar scheduling, package imip, see each delivered message). Drafts written field by
// field (EAS 16.x) become MIME messages in draft.go; invitations are read in invite.go.
package mailbox
