# The R psych peer for bench/analyze: the same work as `tandem analyze` on
# the same file — alpha overall and per facet with item statistics, a
# 3-factor minres/oblimin EFA, and omega with 3 group factors.
# Usage: Rscript peer_psych.R FILE
suppressMessages({ library(psych); library(GPArotation) })
args <- commandArgs(trailingOnly = TRUE)
x <- read.csv(args[1])
# The RDP's reverse-keyed items among these columns (instruments/rdp.toml).
reverse <- intersect(c("FA1", "AU1", "ER2", "SN2", "CN2", "VS3", "CT3", "DD4", "MS4", "CN4"), names(x))
x[reverse] <- 6 - x[reverse]
overall <- alpha(x, check.keys = FALSE, warnings = FALSE)
facets <- unique(sub("[0-9]+$", "", names(x)))
per_facet <- sapply(facets, function(f) alpha(x[grep(paste0("^", f, "[0-9]"), names(x))], warnings = FALSE)$total$raw_alpha)
efa <- fa(x, nfactors = 3, fm = "minres", rotate = "oblimin")
om <- omega(x, nfactors = 3, plot = FALSE)
cat(sprintf('{"alpha": %.6f, "omega_h": %.4f, "omega_t": %.4f}\n', overall$total$raw_alpha, om$omega_h, om$omega.tot))
