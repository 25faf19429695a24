package store

import (
	"encoding/json"

	"gorm.io/gorm"
)

type m0017Folder struct {
	DAVName string `gorm:"column:dav_name;type:varchar(191);not null;default:''"`
}

func (m0017Folder) TableName() string { return "folders" }

type m0017Item struct {
	ID       uint64 `gorm:"primaryKey"`
	FolderID uint64 `gorm:"not null;index:idx_items_folder_dav_name,priority:1"`
	DAVName  string `gorm:"column:dav_name;type:varchar(191);not null;default:'';index:idx_items_folder_dav_name,priority:2"`
	Props    string
}

func (m0017Item) TableName() string { return "items" }

// m0017MaxName is MaxDAVName as 0017 knew it (a migration keeps its own constants).
const m0017MaxName = 191

// 0017: DAV names. Folders get the URL segment a DAV client made them at, items the resource
// name a client PUT them under (indexed with the folder, so a PUT finds its name without
// reading the folder). The items' names, kept so far in Props ({"dav":{"name":...}}), are
// copied here in Go: MySQL's JSON_EXTRACT fails on a Props that is not JSON (mail has ""),
// and SQLite's json_extract is spelled differently; batches by id keep memory bounded.
func migrate0017(tx *gorm.DB) error {
	m := tx.Migrator()
	if err := m.AddColumn(&m0017Folder{}, "DAVName"); err != nil {
		return err
	}
	if err := m.AddColumn(&m0017Item{}, "DAVName"); err != nil {
		return err
	}
	if err := m.CreateIndex(&m0017Item{}, "idx_items_folder_dav_name"); err != nil {
		return err
	}
	var after uint64
	for {
		var batch []m0017Item
		if err := tx.Select("id, props").Where("id > ? AND deleted = ? AND props LIKE ?", after, false, `%"dav":%`).
			Order("id").Limit(500).Find(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, it := range batch {
			after = it.ID
			var p struct {
				DAV struct {
					Name string `json:"name"`
				} `json:"dav"`
			}
			if json.Unmarshal([]byte(it.Props), &p) != nil || p.DAV.Name == "" || len(p.DAV.Name) > m0017MaxName {
				continue
			}
			if err := tx.Model(&m0017Item{}).Where("id = ?", it.ID).Update("dav_name", p.DAV.Name).Error; err != nil {
				return err
			}
		}
	}
}
