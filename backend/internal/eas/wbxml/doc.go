// Package wbxml encodes and decodes Exchange ActiveSync WBXML (MS-ASWBXML over WBXML 1.3) as a tree of namespaced elements.
package wbxml
