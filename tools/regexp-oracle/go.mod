module routec/regexp-oracle

go 1.21
