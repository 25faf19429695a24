// Package mailbox holds an account's folders and items with the change sequence EAS syncs from, and mail delivery.
package mailbox
