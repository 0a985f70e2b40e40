# Terraform and provider versions. hashicorp/aws 6.x: every argument used here
# (per-resource `region` aside, which is not used) is in the 6.0 schema, and the
# allow-list in tests/terraform/provider-arguments.json was taken from it.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, { Project = var.name_prefix })
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
