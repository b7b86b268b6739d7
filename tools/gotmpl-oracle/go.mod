module routec.local/gotmpl-oracle

go 1.22
