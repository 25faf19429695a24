package store

import "gorm.io/gorm"

type m0016Folder struct {
	UIDValidity uint32 `gorm:"column:uid_validity;not null;default:0"`
	UIDNext     uint32 `gorm:"column:uid_next;not null;default:1"`
}

func (m0016Folder) TableName() string { return "folders" }

type m0016Item struct {
	FolderID  uint64 `gorm:"not null;index:idx_items_folder_uid,priority:1"`
	UID       uint32 `gorm:"column:uid;not null;default:0;index:idx_items_folder_uid,priority:2"`
	IMAPFlags string `gorm:"column:imap_flags;type:varchar(1000);not null;default:''"`
}

func (m0016Item) TableName() string { return "items" }

// 0016: IMAP. Folders get a UIDVALIDITY and a UIDNEXT, items a UID and the IMAP flags EAS has
// no field for. Existing items take their id as UID: ids only grow, so the UIDs of a folder
// are distinct and in arrival order, and the folder's UIDNEXT starts above its highest one.
// UIDVALIDITY is the folder's id (distinct for a folder made again under an old name). Plain
// UPDATEs with a subquery on the other table run the same on SQLite and MySQL.
func migrate0016(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, c := range []string{"UIDValidity", "UIDNext"} {
		if err := m.AddColumn(&m0016Folder{}, c); err != nil {
			return err
		}
	}
	for _, c := range []string{"UID", "IMAPFlags"} {
		if err := m.AddColumn(&m0016Item{}, c); err != nil {
			return err
		}
	}
	if err := m.CreateIndex(&m0016Item{}, "idx_items_folder_uid"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE items SET uid = id").Error; err != nil {
		return err
	}
	return tx.Exec("UPDATE folders SET uid_validity = id, uid_next = COALESCE((SELECT MAX(items.uid) FROM items WHERE items.folder_id = folders.id), 0) + 1").Error
}
